/**
 * `npm run --silent predict -- --model <model.onnx | model.zip> --features <file> --out predictions.csv`: a model run
 * offline with the server's runner and checks (lib/server/models/run-predict-cli.ts). Relative paths are taken from
 * the folder npm was started in.
 */
import { runPredictCli } from '@/lib/server/models/run-predict-cli';

runPredictCli(process.argv.slice(2), { cwd: process.env.INIT_CWD ?? process.cwd(), stderr: (line) => process.stderr.write(`${line}\n`) }).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`predict: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
