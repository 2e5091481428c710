import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { eq } from 'drizzle-orm';
import ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { scores, submissionModels, submissions } from '@/db/schema';
import { buildSubmissionModel, zipSubmissionModel } from '@/lib/client/baseline/export-submission-model';
import { fitStandardiser } from '@/lib/client/baseline/standardise';
import { buildModel } from '@/lib/client/baseline/train-model';
import { getChallenge } from '@/lib/server/challenges/get-challenge';
import { getDatasetDownload } from '@/lib/server/datasets/get-dataset-download';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { blobFilePath } from '@/lib/server/storage/blob-store';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { getSubmissionDetail } from '@/lib/server/submissions/get-submission-detail';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { AppError } from '@/lib/shared/app-error';
import { createTopTaggingModelChallenge } from '../support/challenge-factories';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

const modelsDir = path.resolve('tests/fixtures/models');
const modelBytes = (name: string) => new Uint8Array(fs.readFileSync(path.join(modelsDir, name)));

let handle: DatabaseHandle;
let dataDir: string;
let definition: ChallengeDefinition;
let tight: ChallengeDefinition;
let both: ChallengeDefinition;
let datasetFolder: string;

async function appErrorOfAsync(run: () => Promise<unknown>): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError, nothing was thrown');
}

/** The test table's ids and its model input (the challenge's columns, in order) as row-major float32. */
function readFeatures(file: string, columns: readonly string[]): { ids: number[]; x: Float32Array } {
  const table = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(datasetFolder, file))));
  const ids = Array.from(table.columns.id as ArrayLike<number>);
  const x = new Float32Array(ids.length * columns.length);
  columns.forEach((name, c) => {
    const column = table.columns[name] as ArrayLike<number>;
    for (let r = 0; r < ids.length; r++) x[r * columns.length + c] = column[r] as number;
  });
  return { ids, x };
}

/** The predictions file a run stored: variation → id → score. */
async function readStoredPredictions(submissionId: string): Promise<Map<string, Map<number, number>>> {
  const [model] = await handle.db.select().from(submissionModels).where(eq(submissionModels.submissionId, submissionId));
  if (!model?.predictionsSha256) throw new Error('no stored predictions');
  const lines = fs.readFileSync(blobFilePath(dataDir, model.predictionsSha256), 'utf8').trim().split('\n');
  expect(lines[0]).toBe('variation,id,score');
  const byVariation = new Map<string, Map<number, number>>();
  for (const line of lines.slice(1)) {
    const [variation, id, score] = line.split(',');
    const map = byVariation.get(variation as string) ?? new Map<number, number>();
    map.set(Number(id), Number(score));
    byVariation.set(variation as string, map);
  }
  return byVariation;
}

async function submitModel(fileName: string, body: Uint8Array, challenge = definition, kind?: 'model' | 'predictions') {
  const user = await createTestUser(handle);
  const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
  return { ctx, user, created: await createSubmission(ctx, { challengeSlug: challenge.slug, fileName, body, ...(kind ? { kind } : {}) }) };
}

async function countRows() {
  const all = await handle.db.select({ id: submissions.id }).from(submissions);
  const blobs = fs.existsSync(path.join(dataDir, 'blobs')) ? fs.readdirSync(path.join(dataDir, 'blobs'), { recursive: true }).length : 0;
  const scratch = fs.existsSync(path.join(dataDir, 'uploads')) ? fs.readdirSync(path.join(dataDir, 'uploads')).length : 0;
  return { submissions: all.length, blobs, scratch };
}

const tightPhase = {
  key: 'tight',
  title: 'Tight limits',
  opensAt: '2020-01-01T00:00:00Z',
  closesAt: null,
  maxPerDay: 100,
  maxTotal: null,
  submissions: 'models' as const,
  modelLimits: { maxSizeBytes: 64 * 1024, timeLimitSeconds: 3, memoryLimitMb: 512, maxOutputBytes: 1024 * 1024, batchSize: 256 },
};

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  definition = await createTopTaggingModelChallenge(handle, dataDir, {
    phases: [{ ...tightPhase, key: 'models', title: 'Model phase', modelLimits: { ...tightPhase.modelLimits, maxSizeBytes: 10 * 1024 * 1024, timeLimitSeconds: 60, memoryLimitMb: 1024 } }],
  });
  tight = await createTopTaggingModelChallenge(handle, dataDir, { slug: 'model-track-tight', phases: [tightPhase] });
  // A phase that takes either: the public variations only (a server-only one needs a models-only challenge).
  both = await createTopTaggingModelChallenge(handle, dataDir, {
    slug: 'model-track-both',
    phases: [{ ...tightPhase, key: 'both', title: 'Either', submissions: 'both', modelLimits: { ...tightPhase.modelLimits, timeLimitSeconds: 60, memoryLimitMb: 1024 } }],
    scoring: { ...definition.scoring, variations: definition.scoring.variations.filter((v) => !v.serverOnly) },
  });
  datasetFolder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
}, 120_000);

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('models from real clients', () => {
  it('runs a PyTorch MLP exported with torch.onnx.export on the test set and every variation, the server-only one too, and scores what it predicts', async () => {
    const { ctx, created } = await submitModel('pytorch-mlp.onnx', modelBytes('pytorch-mlp.onnx'));
    expect(created.status).toBe('queued');
    expect(created.rows).toBe(0);
    expect(created.model?.format).toBe('onnx');
    expect(await scoreSubmission({ db: handle.db, dataDir }, created.id)).toEqual({ status: 'scored' });

    // The stored predictions are what the same model computes in-process, on every table.
    const stored = await readStoredPredictions(created.id);
    const columns = definition.model?.inputColumns ?? [];
    const session = await ort.InferenceSession.create(path.join(modelsDir, 'pytorch-mlp.onnx'));
    const tables = ['nominal', ...definition.scoring.variations.map((v) => v.name)];
    expect([...stored.keys()]).toEqual(tables);
    expect(tables).toContain('hidden_ces');
    for (const table of tables) {
      const { ids, x } = readFeatures(table === 'nominal' ? 'test.arrow' : `test@${table}.arrow`, columns);
      const out = await session.run({ jets: new ort.Tensor('float32', x, [ids.length, columns.length]) });
      const expected = out.p_top?.data as Float32Array;
      const got = stored.get(table) as Map<number, number>;
      expect(got.size).toBe(ids.length);
      for (let r = 0; r < ids.length; r++) expect(Math.abs((got.get(ids[r] as number) ?? NaN) - (expected[r] as number))).toBeLessThanOrEqual(1e-7);
    }

    const rows = await handle.db.select().from(scores).where(eq(scores.submissionId, created.id));
    const variations = new Set(rows.map((r) => r.variation));
    for (const table of tables) expect(variations.has(table), table).toBe(true);
    expect(variations.has('systematics')).toBe(true);

    // Inference time per 1 000 events and model size beside the metrics: on the board and the detail page.
    const board = await getLeaderboard(ctx, { challengeSlug: definition.slug, split: 'public' });
    const row = board.rows.find((r) => r.submissionId === created.id);
    expect(row?.model?.sizeBytes).toBe(modelBytes('pytorch-mlp.onnx').length);
    expect(row?.model?.msPerThousandEvents).toBeGreaterThan(0);
    expect(row?.model?.events).toBe(tables.length * 600);
    const detail = await getSubmissionDetail(ctx, created.id);
    expect(detail.model?.format).toBe('onnx');
    expect(detail.model?.msPerThousandEvents).toBeGreaterThan(0);
    expect(detail.variations.map((v) => v.name)).toContain('hidden_ces');
  }, 60_000);

  it('takes column 1 of a two-class [N, 2] output as the score', async () => {
    const { created } = await submitModel('two-class.onnx', modelBytes('pytorch-mlp-two-class.onnx'));
    expect(await scoreSubmission({ db: handle.db, dataDir }, created.id)).toEqual({ status: 'scored' });
    const [model] = await handle.db.select().from(submissionModels).where(eq(submissionModels.submissionId, created.id));
    expect(model?.outputLayout).toBe('two-class');
    const stored = await readStoredPredictions(created.id);
    const columns = definition.model?.inputColumns ?? [];
    const { ids, x } = readFeatures('test.arrow', columns);
    const session = await ort.InferenceSession.create(path.join(modelsDir, 'pytorch-mlp-two-class.onnx'));
    const out = (await session.run({ jets: new ort.Tensor('float32', x, [ids.length, columns.length]) })).p_top?.data as Float32Array;
    for (let r = 0; r < ids.length; r += 37) expect(stored.get('nominal')?.get(ids[r] as number)).toBeCloseTo(out[2 * r + 1] as number, 7);
  }, 60_000);

  it.each([
    ['sklearn-style-linear-classifier.onnx', 'a scikit-learn export (skl2onnx, zipmap=False)'],
    ['xgboost-style-tree-ensemble.onnx', 'an XGBoost export (onnxmltools)'],
  ])('reads the score from the probabilities of %s — %s — whose first output is the int64 label', async (file) => {
    const { created } = await submitModel(file, modelBytes(file));
    expect(await scoreSubmission({ db: handle.db, dataDir }, created.id)).toEqual({ status: 'scored' });
    const stored = await readStoredPredictions(created.id);
    const columns = definition.model?.inputColumns ?? [];
    const { ids, x } = readFeatures('test@cer.arrow', columns);
    const session = await ort.InferenceSession.create(path.join(modelsDir, file));
    const out = (await session.run({ x: new ort.Tensor('float32', x, [ids.length, columns.length]) })).probabilities?.data as Float32Array;
    const scores = new Set<number>();
    for (let r = 0; r < ids.length; r++) {
      expect(Math.abs((stored.get('cer')?.get(ids[r] as number) ?? NaN) - (out[2 * r + 1] as number))).toBeLessThanOrEqual(1e-7);
      scores.add(out[2 * r + 1] as number);
    }
    expect(scores.size).toBeGreaterThan(1);
  }, 60_000);

  it('runs a graph written node by node with the onnx library', async () => {
    const { created } = await submitModel('logistic.onnx', modelBytes('onnx-logistic.onnx'));
    expect(await scoreSubmission({ db: handle.db, dataDir }, created.id)).toEqual({ status: 'scored' });
  }, 60_000);

  it("runs the browser baseline's TF.js export and agrees with TF.js's own predictions to 1e-5", async () => {
    await tf.setBackend('cpu');
    const columns = definition.model?.inputColumns ?? [];
    const train = readFeatures('test@ces_up.arrow', columns); // any rows of the right width train the standardiser
    const standardiser = fitStandardiser({ data: train.x, rows: train.ids.length, cols: columns.length }, [...columns], Number.NaN);
    const trained = buildModel(tf, columns.length, { hiddenLayers: [16, 8], activation: 'relu', learningRate: 0.01, epochs: 1, batchSize: 64, useWeights: false });
    const model = buildSubmissionModel(tf, trained, standardiser);
    const zip = await zipSubmissionModel(tf, model, { challenge: definition.slug, features: columns });
    const { created } = await submitModel('browser-baseline.zip', zip);
    expect(created.model?.format).toBe('tfjs');
    expect(await scoreSubmission({ db: handle.db, dataDir }, created.id)).toEqual({ status: 'scored' });
    const stored = await readStoredPredictions(created.id);
    for (const table of ['nominal', 'hidden_ces']) {
      const { ids, x } = readFeatures(table === 'nominal' ? 'test.arrow' : `test@${table}.arrow`, columns);
      const expected = (model.predict(tf.tensor2d(x, [ids.length, columns.length])) as tf.Tensor).dataSync();
      let worst = 0;
      for (let r = 0; r < ids.length; r++) worst = Math.max(worst, Math.abs((stored.get(table)?.get(ids[r] as number) ?? NaN) - (expected[r] as number)));
      expect(worst).toBeLessThanOrEqual(1e-5);
    }
  }, 60_000);
});

describe('models refused at upload, with the reason, nothing stored', () => {
  const cases: Array<{ name: string; body: () => Uint8Array; expected: RegExp }> = [
    { name: 'not-a-model.onnx', body: () => new Uint8Array(4096).map((_, i) => (i * 7919) % 251), expected: /could not be loaded as an ONNX model/ },
    { name: 'predictions.csv', body: () => new TextEncoder().encode('variation,id,score\nnominal,1,0.5\n'), expected: /CSV file, not a model/ },
    { name: 'wrong-output-shape.onnx', body: () => modelBytes('wrong-output-shape.onnx'), expected: /output has shape \[16, 3\]; expected \[16\] or \[16, 1\]/ },
    { name: 'wrong-input-width.onnx', body: () => modelBytes('wrong-input-width.onnx'), expected: /shape \[\?, 5\], so it takes 5 features; this challenge gives 19/ },
    { name: 'fixed-batch-size.onnx', body: () => modelBytes('fixed-batch-size.onnx'), expected: /fixed batch size of 1/ },
    { name: 'unsupported-operator.onnx', body: () => modelBytes('unsupported-operator.onnx'), expected: /TotallyCustomTagger/ },
    { name: 'external-data.onnx', body: () => modelBytes('external-data.onnx'), expected: /External data path/ },
    { name: 'model.json', body: () => new TextEncoder().encode('{"modelTopology": {}}'), expected: /zip of model.json together with its weight files/ },
    { name: 'no-model-json.zip', body: () => zipSync({ 'weights.bin': new Uint8Array(16) }), expected: /has no model.json/ },
    {
      name: 'missing-weights.zip',
      body: () => zipSync({ 'model/model.json': new TextEncoder().encode(JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['shard1.bin'], weights: [] }] })) }),
      expected: /lists the weight file "shard1.bin", which the zip does not hold/,
    },
  ];
  it.each(cases)('refuses $name', async ({ name, body, expected }) => {
    const before = await countRows();
    const error = await appErrorOfAsync(() => submitModel(name, body()));
    expect(error.code).toBe('INVALID_SUBMISSION');
    expect(error.message).toMatch(expected);
    expect(error.message.startsWith(name)).toBe(true);
    expect(error.details.file).toBe(name);
    const after = await countRows();
    expect(after).toEqual({ ...before, scratch: 0 });
  }, 60_000);

  it('refuses a model larger than the phase allows as it streams in', async () => {
    const error = await appErrorOfAsync(() => submitModel('big.onnx', new Uint8Array(200 * 1024), tight));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a predictions file in a phase that takes models only, and a model where predictions are expected', async () => {
    const error = await appErrorOfAsync(() => submitModel('p.csv', new TextEncoder().encode('id,score\n1,0.5\n'), definition, 'predictions'));
    expect(error.code).toBe('INVALID_SUBMISSION');
    expect(error.message).toMatch(/takes models only/);
  });
});

describe('hostile models end failed with their class and never stall the worker', () => {
  const hostile: Array<{ file: string; kind: string; detail: RegExp }> = [
    { file: 'hostile-endless-loop.onnx', kind: 'TIMEOUT', detail: /longer than the limit of 3 s/ },
    { file: 'hostile-allocation-16tb.onnx', kind: 'OUT_OF_MEMORY', detail: /more memory than the limit of 512 MiB/ },
    { file: 'hostile-allocation-2gb.onnx', kind: 'OUT_OF_MEMORY', detail: /more memory than the limit of 512 MiB/ },
    { file: 'hostile-giant-output.onnx', kind: 'BAD_OUTPUT', detail: /more than the limit of 1048576 bytes/ },
  ];
  it.each(hostile)('$file ends $kind', async ({ file, kind, detail }) => {
    const { created } = await submitModel(file, modelBytes(file), tight);
    expect(created.status).toBe('queued');
    const outcome = await scoreSubmission({ db: handle.db, dataDir }, created.id);
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain(`${kind}:`);
    expect(outcome.error).toMatch(detail);
    const [row] = await handle.db.select().from(submissions).where(eq(submissions.id, created.id));
    expect(row?.status).toBe('failed');
    const [model] = await handle.db.select().from(submissionModels).where(eq(submissionModels.submissionId, created.id));
    expect(model?.failureKind).toBe(kind);
    // The worker goes on: the next model of the same phase is run and scored.
    const { created: next } = await submitModel('after.onnx', modelBytes('onnx-logistic.onnx'), tight);
    expect(await scoreSubmission({ db: handle.db, dataDir }, next.id)).toEqual({ status: 'scored' });
  }, 60_000);

  it('names the first row with a NaN score, and the first row outside [0, 1]', async () => {
    const columns = definition.model?.inputColumns ?? [];
    const { ids, x } = readFeatures('test.arrow', columns);
    const firstRow = (offends: (x0: number) => boolean) => {
      for (let r = 0; r < ids.length; r++) if (offends(x[r * columns.length] as number)) return r;
      throw new Error('no offending row in the test set; the fixture threshold needs changing');
    };
    const nanRow = firstRow((x0) => x0 >= Math.fround(0.35));
    const rangeRow = firstRow((x0) => Math.fround(x0 * Math.fround(10)) > 1);
    for (const [file, row, found] of [['bad-nan-output.onnx', nanRow, 'NaN'], ['bad-range-output.onnx', rangeRow, null]] as const) {
      const { created } = await submitModel(file, modelBytes(file), tight);
      const outcome = await scoreSubmission({ db: handle.db, dataDir }, created.id);
      expect(outcome.status).toBe('failed');
      expect(outcome.error).toContain('BAD_OUTPUT:');
      expect(outcome.error).toContain(`the test set row ${row + 1} (id ${ids[row]})`);
      if (found) expect(outcome.error).toContain(`is ${found}; expected a probability in [0, 1]`);
      else expect(outcome.error).toMatch(/is \d+(\.\d+)?(e[+-]?\d+)?; expected a probability in \[0, 1\]/);
    }
  }, 60_000);
});

describe('a phase that takes predictions or models', () => {
  it('tells a model from a predictions file by what it is, and serves the test features to participants', async () => {
    const columns = both.model?.inputColumns ?? [];
    const tables = ['nominal', ...both.scoring.variations.map((v) => v.name)];
    const lines = ['variation,id,score'];
    for (const table of tables) for (const id of readFeatures(table === 'nominal' ? 'test.arrow' : `test@${table}.arrow`, columns).ids) lines.push(`${table},${id},${(id % 97) / 97}`);
    const predictions = await submitModel('predictions.csv', new TextEncoder().encode(`${lines.join('\n')}\n`), both);
    expect(predictions.created.model ?? null).toBeNull();
    expect(predictions.created.rows).toBe(lines.length - 1);
    expect(await scoreSubmission({ db: handle.db, dataDir }, predictions.created.id)).toEqual({ status: 'scored' });

    const onnx = await submitModel('tagger.onnx', modelBytes('onnx-logistic.onnx'), both);
    expect(onnx.created.model?.format).toBe('onnx');
    const zipped = await zipSubmissionModel(
      tf,
      buildSubmissionModel(tf, buildModel(tf, columns.length, { hiddenLayers: [4], activation: 'tanh', learningRate: 0.01, epochs: 1, batchSize: 8, useWeights: false }), {
        featureNames: [...columns],
        mean: new Float64Array(columns.length),
        std: new Float64Array(columns.length).fill(1e6),
        missingValue: Number.NaN,
        indicatorFeatures: [],
        outputWidth: columns.length,
      }),
      {},
    );
    const tfjs = await submitModel('tagger.zip', zipped, both);
    expect(tfjs.created.model?.format).toBe('tfjs');
    for (const id of [onnx.created.id, tfjs.created.id]) expect(await scoreSubmission({ db: handle.db, dataDir }, id)).toEqual({ status: 'scored' });

    // Declared explicitly, a predictions file sent as a model is refused as one.
    const error = await appErrorOfAsync(() => submitModel('predictions.csv', new TextEncoder().encode('variation,id,score\n'), both, 'model'));
    expect(error.message).toMatch(/looks like a CSV file, not a model/);
    const participant = makeContext(handle, dataDir, await createTestUser(handle), makeRecordingQueue());
    await expect(getDatasetDownload(participant, { challengeSlug: both.slug, fileName: 'test.arrow' })).resolves.toBeTruthy();
    expect((await appErrorOfAsync(() => getDatasetDownload(participant, { challengeSlug: both.slug, fileName: 'test@hidden_ces.arrow' }))).code).toBe('NOT_FOUND');
  }, 90_000);
});

describe('hidden test data', () => {
  it('serves the training set but no test features of a model phase to a participant; organisers may download them', async () => {
    const participant = makeContext(handle, dataDir, await createTestUser(handle), makeRecordingQueue());
    const organiser = makeContext(handle, dataDir, await createTestUser(handle, 'admin'), makeRecordingQueue());
    await expect(getDatasetDownload(participant, { challengeSlug: definition.slug, fileName: 'train.arrow' })).resolves.toMatchObject({ contentType: expect.any(String) });
    for (const fileName of ['test.arrow', 'test.csv', 'test@ces_up.arrow', 'test@hidden_ces.arrow', 'truth.arrow', 'truth@hidden_ces.arrow']) {
      const error = await appErrorOfAsync(() => getDatasetDownload(participant, { challengeSlug: definition.slug, fileName }));
      expect(error.code, fileName).toBe('NOT_FOUND');
      expect(error.message).not.toContain('test.arrow,');
    }
    await expect(getDatasetDownload(organiser, { challengeSlug: definition.slug, fileName: 'test.arrow' })).resolves.toBeTruthy();
    await expect(getDatasetDownload(organiser, { challengeSlug: definition.slug, fileName: 'test@ces_up.arrow' })).resolves.toBeTruthy();
    // The server-only variation and the truth stay on the server even for organisers.
    for (const fileName of ['test@hidden_ces.arrow', 'truth.arrow']) {
      expect((await appErrorOfAsync(() => getDatasetDownload(organiser, { challengeSlug: definition.slug, fileName }))).code).toBe('NOT_FOUND');
    }
    const view = await getChallenge(participant, definition.slug);
    expect(view.dataset.downloads.map((d) => d.name).filter((n) => n.startsWith('test'))).toEqual([]);
    expect(view.model?.inputColumns).toEqual(definition.model?.inputColumns);
    expect(view.model?.isTestDataHidden).toBe(true);
  });
});
