import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { defaultModelLimits, type ModelLimits } from '@/challenges/schema';
import { formatFloat32 } from '@/lib/shared/arrow';
import { isAppError } from '@/lib/shared/app-error';
import { assertFeatureColumns, inputColumnsOfFeaturesFile } from '@/lib/shared/models/feature-matrix';
import { describeModelRunError, isModelRunError } from '@/lib/shared/models/model-run-error';
import { assertModelSignature } from '@/lib/shared/models/model-signature';
import { readModelBytes } from '@/lib/shared/models/read-model-bytes';
import { checkModelPackage } from './check-model-file';
import { openFeaturesFile } from './open-features-file';
import { predictTable } from './predict-table';
import { openModelSandbox } from './sandbox/model-sandbox';

export const predictUsage =
  'usage: predict --model <model.onnx | model.zip> --features <features.arrow | .parquet | .csv> --out <predictions.csv> [--batch-size 8192] [--time-limit 3600] [--memory-limit 2048] [--threads 1]';

const optionNames = ['model', 'features', 'out', 'batch-size', 'time-limit', 'memory-limit', 'threads'] as const;
type OptionName = (typeof optionNames)[number];

/** The largest model the CLI reads (the most any phase can allow). */
const maxModelBytes = 1024 * 1024 * 1024;

class UsageError extends Error {}

export type PredictCliIo = { cwd: string; stderr: (line: string) => void };

/**
 * `npm run --silent predict -- --model <m> --features <f> --out <predictions.csv>`: runs a model offline with the
 * server's runner (the same sandboxed runtime, the same upload check on 16 rows of zeros, the same output checks)
 * and writes `id,score`. The features file has an `id` column; the remaining columns, in order, are the model's input.
 * The output is written to a temporary file beside `--out` and renamed at the end, so a failed run leaves no file.
 *
 * Exit codes: 0 written; 2 with one line `predict: <reason>` on stderr for a usage error, a bad model (refused by the
 * check, or TIMEOUT / OUT_OF_MEMORY / BAD_OUTPUT / RUNTIME_ERROR while running) or a bad features file; 1 otherwise.
 */
export async function runPredictCli(argv: readonly string[], io: PredictCliIo): Promise<number> {
  const fail = (message: string, code = 2) => {
    io.stderr(`predict: ${message.replace(/\s*\n\s*/g, ' ')}`);
    return code;
  };
  let options: Record<OptionName, string | undefined>;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stderr(predictUsage);
    return 0;
  }
  const limits: ModelLimits & { threads: number } = {
    ...defaultModelLimits,
    maxSizeBytes: maxModelBytes,
    timeLimitSeconds: 3600,
    threads: 1,
  };
  try {
    for (const [name, key, min] of [['batch-size', 'batchSize', 1], ['time-limit', 'timeLimitSeconds', 1], ['memory-limit', 'memoryLimitMb', 256], ['threads', 'threads', 1]] as const) {
      const text = options[name];
      if (text === undefined) continue;
      const value = Number(text);
      if (!Number.isInteger(value) || value < min) throw new UsageError(`--${name} must be an integer ≥ ${min}, found "${text}"`);
      limits[key] = value;
    }
    for (const name of ['model', 'features', 'out'] as const) if (!options[name]) throw new UsageError(`--${name} is required; ${predictUsage}`);
  } catch (error) {
    if (error instanceof UsageError) return fail(error.message);
    throw error;
  }
  const modelPath = path.resolve(io.cwd, options.model as string);
  const featuresPath = path.resolve(io.cwd, options.features as string);
  const outPath = path.resolve(io.cwd, options.out as string);
  const modelName = path.basename(modelPath);
  const featuresName = path.basename(featuresPath);
  const tempPath = path.join(path.dirname(outPath), `.${path.basename(outPath)}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  let sandbox: Awaited<ReturnType<typeof openModelSandbox>> | null = null;
  let features: Awaited<ReturnType<typeof openFeaturesFile>> | null = null;
  let out: fs.FileHandle | null = null;
  try {
    const stat = await fs.stat(modelPath).catch(() => null);
    if (!stat?.isFile()) return fail(`${modelName}: no such model file (${modelPath})`);
    if (stat.size > maxModelBytes) return fail(`${modelName} is larger than ${maxModelBytes} bytes`);
    const pkg = readModelBytes(new Uint8Array(await fs.readFile(modelPath)), modelName, maxModelBytes);
    if (!(await fs.stat(featuresPath).catch(() => null))?.isFile()) return fail(`${featuresName}: no such features file (${featuresPath})`);
    features = await openFeaturesFile(featuresPath, featuresName, 'INVALID_SUBMISSION', { csvBatchRows: limits.batchSize });
    const columns = inputColumnsOfFeaturesFile(features.table, featuresName, 'INVALID_SUBMISSION');
    assertFeatureColumns(features.table, columns, featuresName, 'INVALID_SUBMISSION');
    // The upload check first, exactly as the server makes it.
    await checkModelPackage(pkg, modelName, columns, limits, { threads: limits.threads, inputsFrom: `${featuresName} gives` });
    sandbox = await openModelSandbox(pkg, { timeLimitMs: limits.timeLimitSeconds * 1000, memoryLimitMb: limits.memoryLimitMb, maxOutputBytes: limits.maxOutputBytes, threads: limits.threads });
    assertModelSignature(sandbox.signature, columns.length, modelName, `${featuresName} gives`);
    out = await fs.open(tempPath, 'wx');
    const handle = out;
    await handle.write('id,score\n');
    const started = performance.now();
    const { events } = await predictTable(sandbox, features.table, {
      table: featuresName,
      file: featuresName,
      errorCode: 'INVALID_SUBMISSION',
      columns,
      batchSize: limits.batchSize,
      onScores: async (ids, scores) => {
        let text = '';
        for (let r = 0; r < ids.length; r++) text += `${ids[r]},${formatFloat32(scores[r] as number)}\n`;
        await handle.write(text);
      },
    });
    const ms = performance.now() - started;
    await out.close();
    out = null;
    await fs.rename(tempPath, outPath);
    io.stderr(`predict: ${events} events, ${events > 0 ? ((ms / events) * 1000).toFixed(2) : '0'} ms per 1000 events (${sandbox.signature.runtime}) → ${options.out}`);
    return 0;
  } catch (error) {
    if (isModelRunError(error)) return fail(`${modelName}: ${describeModelRunError(error)}`);
    if (isAppError(error)) return fail(error.message);
    return fail(`unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1);
  } finally {
    await sandbox?.close();
    await features?.close();
    if (out) await out.close().catch(() => {});
    await fs.rm(tempPath, { force: true });
  }
}

function parseArgs(argv: readonly string[]): Record<OptionName, string | undefined> {
  const values = Object.fromEntries(optionNames.map((n) => [n, undefined])) as Record<OptionName, string | undefined>;
  const pattern = new RegExp(`^--(${optionNames.join('|')})(?:=(.*))?$`);
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] as string;
    if (arg === '--help' || arg === '-h') continue;
    const match = pattern.exec(arg);
    if (!match) throw new UsageError(`${arg.startsWith('-') ? 'unknown option' : 'unexpected argument'} "${arg}"; ${predictUsage}`);
    const name = match[1] as OptionName;
    let value = match[2];
    if (value === undefined) {
      value = argv[k + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`option --${name} needs a value; ${predictUsage}`);
      k++;
    }
    if (values[name] !== undefined) throw new UsageError(`option --${name} is given twice`);
    values[name] = value;
  }
  return values;
}
