import { unzipSync } from 'fflate';
import { AppError } from '../app-error';
import type { ModelPackage } from './model-signature';

/** Files of a TF.js zip at most (model.json and its weight shards). */
const maxZipEntries = 1000;

/**
 * Turns an uploaded model file into what the runtime takes. An ONNX file is passed on as it is (the runtime is the
 * judge of its contents); a zip must hold a TF.js `model.json` (at its root or in one folder) and every weight file
 * its manifest lists. The format comes from the bytes, not the name. Zip entries are only declared, never trusted:
 * their sizes are checked against `maxBytes` before anything is inflated, and after.
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming the file and what was expected and found.
 */
export function readModelBytes(bytes: Uint8Array, file: string, maxBytes: number): ModelPackage {
  const refuse = (message: string, expected: string, found: string): never => {
    throw new AppError('INVALID_SUBMISSION', `${file}: ${message}`, { file, expected, found, modelCheck: 'format' });
  };
  if (bytes.length === 0) refuse('the file is empty; upload an ONNX model (.onnx) or a TF.js model zipped with its weight files', 'an ONNX model or a TF.js zip', 'an empty file');
  const head = bytes.subarray(0, 8);
  const startsWith = (...magic: number[]) => magic.every((b, i) => head[i] === b);
  if (startsWith(0x50, 0x4b, 0x03, 0x04) || startsWith(0x50, 0x4b, 0x05, 0x06)) return readTfjsZip(bytes, file, maxBytes, refuse);
  if (startsWith(0x1f, 0x8b)) refuse('the file is gzip-compressed; upload the .onnx file itself, or a TF.js model as a zip', 'an ONNX model or a TF.js zip', 'gzip data');
  if (startsWith(0x41, 0x52, 0x52, 0x4f, 0x57, 0x31) || startsWith(0x50, 0x41, 0x52, 0x31) || startsWith(0xff, 0xff, 0xff, 0xff)) {
    refuse('this is an Arrow or Parquet table, not a model; upload predictions as a predictions file, or export your model to ONNX', 'an ONNX model or a TF.js zip', 'a data table');
  }
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, 256)).trimStart();
  if (text.startsWith('{')) {
    refuse('this is a JSON file; a TF.js model is uploaded as a zip of model.json together with its weight files (e.g. zip model.zip model.json *.bin)', 'a TF.js zip', 'a JSON file');
  }
  if (/^[A-Za-z_"][\w" ]*(,[\w" ]+)+\r?\n/.test(text)) {
    refuse('this looks like a CSV file, not a model; upload predictions as a predictions file, or export your model to ONNX', 'an ONNX model or a TF.js zip', 'CSV text');
  }
  return { format: 'onnx', bytes };
}

function readTfjsZip(bytes: Uint8Array, file: string, maxBytes: number, refuse: (message: string, expected: string, found: string) => never): ModelPackage {
  let declaredTotal = 0;
  let entries = 0;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(bytes, {
      filter(entry) {
        entries++;
        if (entries > maxZipEntries) refuse(`the zip holds more than ${maxZipEntries} files; a TF.js model is model.json and its weight files`, `at most ${maxZipEntries} files`, `more than ${maxZipEntries}`);
        declaredTotal += entry.originalSize;
        if (declaredTotal > maxBytes) refuse(`the zip's contents are larger than the model size limit of ${maxBytes} bytes once unpacked`, `at most ${maxBytes} bytes unpacked`, `more than ${maxBytes} bytes`);
        if (entry.compression !== 0 && entry.compression !== 8) refuse(`"${entry.name}" is compressed with method ${entry.compression}; use a plain zip (stored or deflate)`, 'stored or deflate entries', `method ${entry.compression}`);
        return !entry.name.endsWith('/');
      },
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    return refuse(`the file starts like a zip but cannot be unpacked (${error instanceof Error ? error.message : String(error)}); zip model.json with its weight files again`, 'a complete zip', 'a truncated or corrupt zip');
  }
  const unpacked = Object.values(files).reduce((n, data) => n + data.length, 0);
  if (unpacked > maxBytes) refuse(`the zip's contents are larger than the model size limit of ${maxBytes} bytes once unpacked`, `at most ${maxBytes} bytes unpacked`, `${unpacked} bytes`);
  const names = Object.keys(files).filter((name) => !name.startsWith('__MACOSX/'));
  const modelJsonNames = names.filter((name) => name === 'model.json' || name.endsWith('/model.json'));
  if (modelJsonNames.length !== 1) {
    refuse(
      modelJsonNames.length === 0
        ? `the zip has no model.json (it holds ${names.slice(0, 8).join(', ') || 'nothing'}); zip the files TF.js saved (model.json and its weight files)`
        : `the zip holds ${modelJsonNames.length} model.json files (${modelJsonNames.join(', ')}); zip one model`,
      'one model.json',
      `${modelJsonNames.length}`,
    );
  }
  const modelJsonName = modelJsonNames[0] as string;
  const folder = modelJsonName.slice(0, modelJsonName.length - 'model.json'.length);
  const modelJson = new TextDecoder('utf-8').decode(files[modelJsonName]);
  let artifacts: { modelTopology?: unknown; weightsManifest?: Array<{ paths?: unknown; weights?: unknown }> };
  try {
    artifacts = JSON.parse(modelJson) as typeof artifacts;
  } catch (error) {
    return refuse(`${modelJsonName} is not valid JSON (${error instanceof Error ? error.message : String(error)})`, 'JSON', 'invalid JSON');
  }
  if (!artifacts || typeof artifacts !== 'object' || !artifacts.modelTopology || !Array.isArray(artifacts.weightsManifest)) {
    refuse(`${modelJsonName} is not a TF.js model (it needs "modelTopology" and "weightsManifest"; save it with model.save or tensorflowjs_converter)`, 'a TF.js model.json', 'other JSON');
  }
  const weights: Array<{ path: string; data: Uint8Array }> = [];
  for (const group of artifacts.weightsManifest ?? []) {
    const paths = Array.isArray(group.paths) ? group.paths : [];
    for (const weightPath of paths) {
      const data = typeof weightPath === 'string' ? files[`${folder}${weightPath.replace(/^\.\//, '')}`] : undefined;
      if (!data) {
        refuse(`${modelJsonName} lists the weight file "${String(weightPath)}", which the zip does not hold (it holds ${names.join(', ')})`, String(weightPath), 'missing');
      }
      weights.push({ path: weightPath as string, data: data as Uint8Array });
    }
  }
  return { format: 'tfjs', modelJson, weights };
}
