import { removePendingTemporaryDirs } from './datasets/pending-temporary-dirs';
import { runPipelineCli } from './run-pipeline-cli';

// Entry point of `npm run pipeline`; the commands live in run-pipeline-cli.ts.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    removePendingTemporaryDirs();
    process.stderr.write(`\n[pipeline] interrupted (${signal}); no dataset was written\n`);
    process.exit(130);
  });
}

void runPipelineCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
}).then((code) => {
  process.exitCode = code;
});
