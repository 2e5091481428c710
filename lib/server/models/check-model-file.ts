import 'server-only';
import fs from 'node:fs/promises';
import type { ModelLimits } from '@/challenges/schema';
import { AppError } from '@/lib/shared/app-error';
import { acceptedOutputsText, formatDims, outputLayoutOf, type OutputLayout } from '@/lib/shared/models/model-output';
import { isModelRunError } from '@/lib/shared/models/model-run-error';
import { readModelBytes } from '@/lib/shared/models/read-model-bytes';
import { assertModelSignature, type ModelFormat, type ModelPackage, type ModelSignature } from '@/lib/shared/models/model-signature';
import { openModelSandbox } from './sandbox/model-sandbox';

/** Rows of zeros the model is run on at upload. */
export const checkRows = 16;
/** The check never takes longer than this, whatever the phase allows for a whole run. */
const checkTimeLimitMs = 30_000;

export type ModelCheck = { format: ModelFormat; runtime: string; inputName: string; outputLayout: OutputLayout; signature: ModelSignature };

/**
 * The check at upload: the file is read as a model (ONNX, or a TF.js zip), loaded by the sandboxed runtime and run
 * once on 16 rows of zeros of the challenge's input width. A file that is not a model, an operator the runtime does
 * not support, a wrong input or output shape, or a limit exceeded while loading is refused with the reason.
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming the file, what was expected and what was found.
 */
export async function checkModelFile(filePath: string, fileName: string, inputColumns: readonly string[], limits: ModelLimits, options: { threads?: number } = {}): Promise<ModelCheck> {
  const pkg = readModelBytes(new Uint8Array(await fs.readFile(filePath)), fileName, limits.maxSizeBytes);
  return checkModelPackage(pkg, fileName, inputColumns, limits, options);
}

export async function checkModelPackage(pkg: ModelPackage, fileName: string, inputColumns: readonly string[], limits: ModelLimits, options: { threads?: number; inputsFrom?: string } = {}): Promise<ModelCheck> {
  const width = inputColumns.length;
  const sandboxLimits = { timeLimitMs: Math.min(checkTimeLimitMs, limits.timeLimitSeconds * 1000), memoryLimitMb: limits.memoryLimitMb, maxOutputBytes: limits.maxOutputBytes, threads: options.threads };
  let sandbox;
  try {
    sandbox = await openModelSandbox(pkg, sandboxLimits);
  } catch (error) {
    throw refusal(error, fileName, pkg.format === 'onnx' ? 'the file could not be loaded as an ONNX model' : 'the TF.js model could not be loaded');
  }
  try {
    assertModelSignature(sandbox.signature, width, fileName, options.inputsFrom);
    let output;
    try {
      output = await sandbox.run(new Float32Array(checkRows * width), checkRows, width);
    } catch (error) {
      throw refusal(error, fileName, `the model failed on ${checkRows} rows of zeros`);
    }
    const layout = outputLayoutOf(output.dims, checkRows);
    if (!layout) {
      throw new AppError('INVALID_SUBMISSION', `${fileName}: on a batch of ${checkRows} events the model's output has shape ${formatDims(output.dims)}; expected ${acceptedOutputsText.replaceAll('N', String(checkRows))}.`, {
        file: fileName,
        expected: acceptedOutputsText,
        found: formatDims(output.dims),
        modelCheck: 'output',
      });
    }
    if (output.dtype !== 'float32' && output.dtype !== 'float64') {
      throw new AppError('INVALID_SUBMISSION', `${fileName}: the model's output is of type ${output.dtype}; expected float32 probabilities.`, { file: fileName, expected: 'float32', found: output.dtype, modelCheck: 'output' });
    }
    const input = sandbox.signature.inputs[0];
    return { format: pkg.format, runtime: sandbox.signature.runtime, inputName: input?.name ?? 'input', outputLayout: layout, signature: sandbox.signature };
  } finally {
    await sandbox.close();
  }
}

function refusal(error: unknown, fileName: string, what: string): AppError {
  if (error instanceof AppError) return error;
  if (!isModelRunError(error)) return new AppError('INTERNAL', `${fileName} could not be checked; please try again.`, { file: fileName }, { cause: error });
  const reason =
    error.kind === 'RUNTIME_ERROR'
      ? `${what}: ${error.message}`
      : `${what}: ${error.kind === 'TIMEOUT' ? 'it ran longer than the check allows' : error.kind === 'OUT_OF_MEMORY' ? 'it needed more memory than the phase allows' : 'its output is not usable'} (${error.message})`;
  return new AppError('INVALID_SUBMISSION', `${fileName}: ${reason}.`, { file: fileName, expected: 'a model the runtime can load and run', found: error.kind, modelCheck: error.kind }, { cause: error });
}
