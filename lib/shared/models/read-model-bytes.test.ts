import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AppError } from '../app-error';
import { readModelBytes } from './read-model-bytes';
import { zipTfjsModel } from './zip-tfjs-model';

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

const modelJson = (paths: string[]) => strToU8(JSON.stringify({ modelTopology: { config: {} }, weightsManifest: [{ paths, weights: [] }] }));

describe('reading an uploaded model', () => {
  it('reads a TF.js zip at its root or in one folder, with its weight files in manifest order', () => {
    const flat = readModelBytes(zipSync({ 'model.json': modelJson(['a.bin', 'b.bin']), 'b.bin': new Uint8Array([2]), 'a.bin': new Uint8Array([1]) }), 'm.zip', 1e6);
    expect(flat.format).toBe('tfjs');
    if (flat.format === 'tfjs') expect(flat.weights.map((w) => [w.path, w.data[0]])).toEqual([['a.bin', 1], ['b.bin', 2]]);
    const nested = readModelBytes(zipSync({ 'export/model.json': modelJson(['./w.bin']), 'export/w.bin': new Uint8Array(4) }), 'm.zip', 1e6);
    expect(nested.format).toBe('tfjs');
  });

  it('reads what zipTfjsModel writes', () => {
    const zip = zipTfjsModel({ modelTopology: { class_name: 'Sequential' }, weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32' }], weightData: new Float32Array([1, 2]).buffer });
    const pkg = readModelBytes(zip, 'baseline.zip', 1e6);
    expect(pkg.format === 'tfjs' && pkg.weights[0]?.data.length).toBe(8);
  });

  it.each([
    ['an empty file', new Uint8Array(0), /is empty/],
    ['gzip', new Uint8Array([0x1f, 0x8b, 8, 0]), /gzip-compressed/],
    ['an Arrow table', strToU8('ARROW1\0\0rest'), /Arrow or Parquet table, not a model/],
    ['a Parquet table', strToU8('PAR1xxxx'), /Arrow or Parquet table, not a model/],
    ['model.json alone', strToU8('  {"modelTopology": {}}'), /zip of model.json together with its weight files/],
    ['a CSV', strToU8('id,score\n1,0.5\n'), /looks like a CSV file/],
    ['a zip without model.json', zipSync({ 'w.bin': new Uint8Array(2) }), /has no model.json/],
    ['a zip with two models', zipSync({ 'a/model.json': modelJson([]), 'b/model.json': modelJson([]) }), /2 model.json files/],
    ['a zip missing a weight file', zipSync({ 'model.json': modelJson(['shard1of2.bin', 'shard2of2.bin']), 'shard1of2.bin': new Uint8Array(1) }), /lists the weight file "shard2of2.bin"/],
    ['a zip whose model.json is not TF.js', zipSync({ 'model.json': strToU8('{"a": 1}') }), /not a TF.js model/],
    ['a truncated zip', zipSync({ 'model.json': modelJson([]) }).subarray(0, 40), /cannot be unpacked/],
  ])('refuses %s, naming the file', (_, bytes, message) => {
    const error = errorOf(() => readModelBytes(bytes, 'upload.bin', 1e6));
    expect(error.code).toBe('INVALID_SUBMISSION');
    expect(error.message).toMatch(message);
    expect(error.message.startsWith('upload.bin: ')).toBe(true);
  });

  it('refuses a zip whose contents unpack past the size limit before inflating them', () => {
    const zip = zipSync({ 'model.json': modelJson(['w.bin']), 'w.bin': new Uint8Array(50_000) }, { level: 9 });
    expect(zip.length).toBeLessThan(5_000);
    const error = errorOf(() => readModelBytes(zip, 'bomb.zip', 20_000));
    expect(error.message).toMatch(/larger than the model size limit of 20000 bytes once unpacked/);
  });

  it('passes anything else on as ONNX, for the runtime to judge', () => {
    expect(readModelBytes(new Uint8Array([0x08, 0x07, 0x12, 0x04]), 'm.onnx', 1e6).format).toBe('onnx');
  });
});
