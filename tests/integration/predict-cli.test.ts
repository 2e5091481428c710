import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topTaggingModelInputColumns } from '@/challenges/top-tagging-model-toy/challenge';
import { buildSubmissionModel, zipSubmissionModel } from '@/lib/client/baseline/export-submission-model';
import { fitStandardiser } from '@/lib/client/baseline/standardise';
import { buildModel } from '@/lib/client/baseline/train-model';
import { buildTopTaggingToyDataset } from '@/lib/pipeline/toy/top-tagging-toy';
import { arrowTableToCsv, decodeArrowTable, encodeArrowTable } from '@/lib/shared/arrow';
import { writeParquetTable } from '@/lib/shared/parquet';

/** `npm run --silent predict` exactly as a participant types it, from the repository root. */
function predict(...args: string[]) {
  const result = spawnSync('npm', ['run', '--silent', 'predict', '--', ...args], { cwd: path.resolve('.'), encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr.trim() };
}

const models = path.resolve('tests/fixtures/models');
let dir: string;
let ids: number[];
let x: Float32Array;
const width = topTaggingModelInputColumns.length;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-predict-'));
  await buildTopTaggingToyDataset({ outDir: path.join(dir, 'toy'), seed: 5, trainJets: 50, testJets: 700, createdAt: '2026-01-01T00:00:00.000Z', writeCsv: false });
  const test = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dir, 'toy', 'test.arrow'))));
  ids = Array.from(test.columns.id as ArrayLike<number>);
  // A features file: id, then the model's inputs in order (and nothing else).
  const columns: Record<string, Float32Array | Int32Array> = { id: Int32Array.from(ids) };
  x = new Float32Array(ids.length * width);
  topTaggingModelInputColumns.forEach((name, c) => {
    const values = Float32Array.from(test.columns[name] as ArrayLike<number>);
    columns[name] = values;
    for (let r = 0; r < ids.length; r++) x[r * width + c] = values[r] as number;
  });
  fs.writeFileSync(path.join(dir, 'features.arrow'), encodeArrowTable(columns, {}));
  fs.writeFileSync(path.join(dir, 'features.parquet'), writeParquetTable(columns, {}, { rowGroupSize: 256 }));
  fs.writeFileSync(path.join(dir, 'features.csv'), arrowTableToCsv({ numRows: ids.length, columnNames: Object.keys(columns), columns, metadata: {} }));
}, 120_000);

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

function readPredictions(file: string): Array<[number, number]> {
  const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('id,score');
  return lines.slice(1).map((line) => line.split(',').map(Number) as [number, number]);
}

describe('npm run predict', () => {
  it.each(['features.arrow', 'features.parquet', 'features.csv'])('writes id,score for every row of %s, equal to the runtime in-process', async (features) => {
    const out = path.join(dir, `${features}.predictions.csv`);
    const result = predict('--model', path.join(models, 'pytorch-mlp.onnx'), '--features', path.join(dir, features), '--out', out, '--batch-size', '128');
    expect(result.stderr).toMatch(/^predict: 700 events/);
    expect(result.code).toBe(0);
    const rows = readPredictions(out);
    expect(rows.map(([id]) => id)).toEqual(ids);
    const session = await ort.InferenceSession.create(path.join(models, 'pytorch-mlp.onnx'));
    const expected = (await session.run({ jets: new ort.Tensor('float32', x, [ids.length, width]) })).p_top?.data as Float32Array;
    rows.forEach(([, score], r) => expect(Math.abs(score - (expected[r] as number))).toBeLessThanOrEqual(1e-7));
  }, 120_000);

  it('runs a TF.js model zip (the browser baseline export) and agrees with TF.js to 1e-5', async () => {
    await tf.setBackend('cpu');
    const standardiser = fitStandardiser({ data: x, rows: ids.length, cols: width }, [...topTaggingModelInputColumns], Number.NaN);
    const trained = buildModel(tf, width, { hiddenLayers: [12, 6], activation: 'relu', learningRate: 0.01, epochs: 1, batchSize: 32, useWeights: false });
    const model = buildSubmissionModel(tf, trained, standardiser);
    fs.writeFileSync(path.join(dir, 'baseline.zip'), await zipSubmissionModel(tf, model, {}));
    const out = path.join(dir, 'tfjs-predictions.csv');
    const result = predict('--model', path.join(dir, 'baseline.zip'), '--features', path.join(dir, 'features.parquet'), '--out', out);
    expect(result.code, result.stderr).toBe(0);
    const expected = (model.predict(tf.tensor2d(x, [ids.length, width])) as tf.Tensor).dataSync();
    readPredictions(out).forEach(([id, score], r) => {
      expect(id).toBe(ids[r]);
      expect(Math.abs(score - (expected[r] as number))).toBeLessThanOrEqual(1e-5);
    });
  }, 120_000);

  const failures: Array<{ title: string; args: () => string[]; line: RegExp }> = [
    { title: 'a file that is not a model', args: () => ['--model', path.join(dir, 'features.csv'), '--features', path.join(dir, 'features.csv')], line: /^predict: features\.csv: this looks like a CSV file, not a model/ },
    { title: 'a wrong output shape', args: () => ['--model', path.join(models, 'wrong-output-shape.onnx'), '--features', path.join(dir, 'features.csv')], line: /output has shape \[16, 3\]/ },
    { title: 'an unsupported operator', args: () => ['--model', path.join(models, 'unsupported-operator.onnx'), '--features', path.join(dir, 'features.arrow')], line: /TotallyCustomTagger/ },
    { title: 'scores outside [0, 1]', args: () => ['--model', path.join(models, 'bad-range-output.onnx'), '--features', path.join(dir, 'features.arrow')], line: /^predict: bad-range-output\.onnx: BAD_OUTPUT: features\.arrow row \d+ \(id \d+\)/ },
    { title: 'an endless loop', args: () => ['--model', path.join(models, 'hostile-endless-loop.onnx'), '--features', path.join(dir, 'features.arrow'), '--time-limit', '2'], line: /^predict: hostile-endless-loop\.onnx: TIMEOUT: the model ran longer than the limit of 2 s/ },
    { title: 'a features file without the model width', args: () => ['--model', path.join(models, 'onnx-logistic.onnx'), '--features', writeFile('narrow.csv', 'id,a,b\n1,0.5,2\n')], line: /shape \[\?, 19\], so it takes 19 features; narrow\.csv gives 2/ },
    { title: 'a features file without an id column', args: () => ['--model', path.join(models, 'onnx-logistic.onnx'), '--features', writeFile('noid.csv', 'a,b\n1,2\n')], line: /noid\.csv has no "id" column/ },
    { title: 'a features file with text in a column', args: () => ['--model', path.join(models, 'wrong-input-width.onnx'), '--features', writeFile('text.csv', 'id,a,b,c,d,e\n1,1,2,3,4,5\n2,1,x,3,4,5\n')], line: /text\.csv line 3, column "b": expected a finite decimal number, found "x"/ },
    { title: 'a missing features file', args: () => ['--model', path.join(models, 'onnx-logistic.onnx'), '--features', path.join(dir, 'absent.arrow')], line: /absent\.arrow: no such features file/ },
    { title: 'an unknown option', args: () => ['--model', 'm.onnx', '--featurs', 'f.csv'], line: /unknown option "--featurs"/ },
  ];
  it.each(failures)('exits 2 with one line for $title, and writes no file', ({ args, line }) => {
    const out = path.join(dir, 'failed.csv');
    const result = predict(...args(), '--out', out);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(line);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 120_000);
});

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}
