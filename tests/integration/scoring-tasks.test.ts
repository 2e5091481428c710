import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { challengeDefinitionSchema, type ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { phases, scoreDetails, scores, submissions } from '@/db/schema';
import { writeDatasetVersion } from '@/lib/pipeline/datasets/write-dataset-version';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';
import { getLeaderboardJson } from '@/lib/server/leaderboards/get-leaderboard';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { currentScoringVersion } from '@/lib/server/scoring/scoring-version';
import { deleteBlob, putBlob } from '@/lib/server/storage/blob-store';
import { encodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema, type DatasetManifest } from '@/lib/shared/dataset-manifest';
import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';
import { systematicRobustness } from '@/scoring/systematic-robustness';
import { createTestUser, makeDataDir } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let userId: string;
/** Challenge id by slug, from syncChallengeDefinition. */
const challengeIds = new Map<string, string>();

const pages = { overview: 'Overview', evaluation: 'Evaluation', data: 'Data', terms: 'Terms' };
const openPhase = [{ key: 'open', title: 'Open phase', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 50 }];
const provenance = {
  isToy: true,
  createdAt: '2026-01-01T00:00:00Z',
  pipelineVersion: 'test',
  description: 'Generated in tests/integration/scoring-tasks.test.ts.',
  licence: 'CC0-1.0',
  citation: 'HEP Arena tests',
  sources: [{ name: 'scoring-tasks.test.ts' }],
  recipe: {},
  luminosityFb: null,
  missingValue: -25,
};

// ---------------------------------------------------------------------------------------------------------------
// Binary classification with systematic variations

const nominalIds = Array.from({ length: 900 }, (_, i) => 10_000 + i);
const generatorIds = Array.from({ length: 700 }, (_, i) => 20_000 + i);
const labelOf = (id: number) => (id % 3 === 0 ? 1 : 0);
/** A classifier that ignores the variation: its score depends on the event only. */
const noisyScore = (id: number) => Math.min(1, Math.max(0, 0.5 + (labelOf(id) ? 0.1 : -0.1) + (((id * 7919) % 1000) / 1000 - 0.5) * 0.8));
const baseWeight = (id: number) => (labelOf(id) ? 0.4 : 2 + (id % 5) * 0.1);

const binaryVariations = [
  { name: 'jes_up', group: 'jet', pairedWith: 'jes_down', label: 'JES up' },
  { name: 'jes_down', group: 'jet', label: 'JES down' },
  { name: 'generator', group: 'modelling', label: 'Alternative generator' },
];

function binaryDefinition(revision: number): ChallengeDefinition {
  return challengeDefinitionSchema.parse({
    slug: 'systematics-binary',
    revision,
    title: 'Binary with systematics',
    summary: 'Scored on nominal and varied test sets.',
    task: 'binary-classification',
    dataset: { id: 'systematics-binary', version: '1.0.0' },
    metrics: [{ id: 'auc', primary: true }, { id: 'rejection_at_0.5' }, { id: 'ams_best' }],
    scoring: { bootstrapReplicas: 40, variations: binaryVariations },
    splits: { publicFraction: 0.5, seed: 4242 },
    phases: openPhase,
    pages,
  });
}

async function createBinaryDataset(): Promise<void> {
  const relative = path.join('datasets', 'systematics-binary', '1.0.0');
  const table = (ids: number[], weight: (id: number) => number) => ({
    test: { id: Int32Array.from(ids), features: { x: Float32Array.from(ids, (id) => labelOf(id) + (id % 7) / 7) } },
    truth: { id: Int32Array.from(ids), label: Uint8Array.from(ids, labelOf), weight: Float64Array.from(ids, weight) },
  });
  const nominal = table(nominalIds, baseWeight);
  // The varied truths move background weight into (jes_up) or out of (jes_down) the signal-like region.
  const up = table(nominalIds, (id) => baseWeight(id) * (labelOf(id) === 0 && noisyScore(id) > 0.5 ? 3 : 1));
  const down = table(nominalIds, (id) => baseWeight(id) * (labelOf(id) === 0 && noisyScore(id) > 0.5 ? 0.5 : 1));
  const generator = table(generatorIds, baseWeight);
  await writeDatasetVersion({
    outDir: path.join(dataDir, relative),
    manifest: {
      ...provenance,
      dataset: 'systematics-binary',
      version: '1.0.0',
      title: 'Binary toy with variations',
      expectedYields: { signal: 50, background: 5000 },
      fixedSplitColumn: null,
      variations: [
        { name: 'jes_up', kind: 'parametrised', description: 'JES +1σ' },
        { name: 'jes_down', kind: 'parametrised', description: 'JES −1σ' },
        { name: 'generator', kind: 'alternative-sample', description: 'Other generator' },
      ],
    },
    featureColumns: [{ name: 'x', unit: '', description: 'A feature.' }],
    train: { eventId: Int32Array.of(1, 2, 3, 4), features: { x: Float32Array.of(0, 1, 0, 1) }, label: Uint8Array.of(0, 1, 0, 1), weight: Float64Array.of(1, 1, 1, 1) },
    test: nominal.test,
    truth: nominal.truth,
    writeCsv: false,
    variations: [
      { name: 'jes_up', ...up },
      { name: 'jes_down', ...down },
      { name: 'generator', ...generator },
    ],
  });
  await registerDatasetVersion(handle.db, dataDir, relative);
}

function binaryCsv(score: (id: number) => number): string {
  const lines = ['variation,id,score'];
  for (const id of nominalIds) lines.push(`nominal,${id},${score(id)}`);
  for (const name of ['jes_up', 'jes_down']) for (const id of nominalIds) lines.push(`${name},${id},${score(id)}`);
  for (const id of generatorIds) lines.push(`generator,${id},${score(id)}`);
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------
// Interval estimation (pseudo-experiments)

const sets = 16;
const perSet = 6;
const peCount = sets * perSet;
const setOf = (pe: number) => Math.floor(pe / perSet);
const muOf = (pe: number) => 0.1 + (2.9 * (setOf(pe) + 0.5)) / sets;

async function createIntervalDataset(): Promise<void> {
  const relative = path.join('datasets', 'toy-intervals', '1.0.0');
  const folder = path.join(dataDir, relative);
  fs.mkdirSync(folder, { recursive: true });
  const peIds = Int32Array.from({ length: peCount }, (_, i) => i);
  const files = {
    'pseudo_experiments.arrow': encodeArrowTable({ pe_id: Int32Array.from({ length: 3 * peCount }, (_, i) => i % peCount), x: new Float32Array(3 * peCount) }),
    'truth_pe.arrow': encodeArrowTable({
      pe_id: peIds,
      set_id: Int32Array.from(peIds, setOf),
      mu_true: Float64Array.from(peIds, muOf),
      n_events: new Int32Array(peCount).fill(3),
    }),
  };
  const entry = (name: keyof typeof files, role: 'pseudo_experiments' | 'truth_pe', rows: number) => {
    fs.writeFileSync(path.join(folder, name), files[name]);
    return { name, role, format: 'arrow', sha256: createHash('sha256').update(files[name]).digest('hex'), sizeBytes: files[name].length, rows, serverOnly: role === 'truth_pe' };
  };
  const manifest: DatasetManifest = datasetManifestSchema.parse({
    ...provenance,
    dataset: 'toy-intervals',
    version: '1.0.0',
    title: 'Pseudo-experiment toy',
    expectedYields: { signal: 1, background: 1 },
    fixedSplitColumn: null,
    featureColumns: ['x'],
    columns: [
      { name: 'pe_id', unit: '', description: 'Pseudo-experiment id.' },
      { name: 'x', unit: '', description: 'A feature.' },
    ],
    files: [entry('pseudo_experiments.arrow', 'pseudo_experiments', 3 * peCount), entry('truth_pe.arrow', 'truth_pe', peCount)],
  });
  fs.writeFileSync(path.join(folder, 'manifest.json'), JSON.stringify(manifest, null, 2));
  await registerDatasetVersion(handle.db, dataDir, relative);
}

const intervalDefinition = challengeDefinitionSchema.parse({
  slug: 'toy-intervals',
  revision: 1,
  title: 'Signal strength intervals',
  summary: 'One interval per pseudo-experiment.',
  task: 'interval-estimation',
  dataset: { id: 'toy-intervals', version: '1.0.0' },
  metrics: [{ id: 'quantile_score', primary: true }, { id: 'coverage' }, { id: 'interval_width' }, { id: 'rmse' }, { id: 'mae' }],
  scoring: { bootstrapReplicas: 60 },
  splits: { publicFraction: 0.5, seed: 99 },
  phases: openPhase,
  pages,
});

function intervalCsv(): string {
  const lines = ['pe_id,mu_hat,delta_mu_hat,p16,p84'];
  for (let pe = 0; pe < peCount; pe++) {
    const muHat = muOf(pe) + (((pe * 7919) % 101) / 101 - 0.5) * 0.5;
    lines.push(`${pe},${muHat},0.15,${muHat - 0.16},${muHat + 0.16}`);
  }
  return `${lines.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------------------------

/** Stores the file and records a queued submission to the challenge's open phase, as an upload would. */
async function submit(definition: ChallengeDefinition, csv: string, fileName = 'predictions.csv'): Promise<string> {
  const bytes = new TextEncoder().encode(csv);
  const { sha256 } = await putBlob(dataDir, bytes);
  const challengeId = challengeIds.get(definition.slug) ?? '';
  const [challengePhase] = await handle.db.select().from(phases).where(and(eq(phases.challengeId, challengeId), eq(phases.key, 'open')));
  if (!challengePhase) throw new Error(`challenge ${definition.slug} has no open phase`);
  const [row] = await handle.db
    .insert(submissions)
    .values({
      challengeId: challengePhase.challengeId,
      phaseId: challengePhase.id,
      userId,
      fileName,
      sha256,
      sizeBytes: bytes.length,
      rows: csv.split('\n').length - 2,
      status: 'queued',
      challengeRevision: definition.revision,
    })
    .returning({ id: submissions.id });
  if (!row) throw new Error('submission not inserted');
  return row.id;
}

const deps = () => ({ db: handle.db, dataDir });
const storedScores = (submissionId: string, version?: string) =>
  handle.db
    .select()
    .from(scores)
    .where(version === undefined ? eq(scores.submissionId, submissionId) : and(eq(scores.submissionId, submissionId), eq(scores.scoringVersion, version)));
const submissionRow = async (id: string) => {
  const [row] = await handle.db.select().from(submissions).where(eq(submissions.id, id));
  if (!row) throw new Error(`submission ${id} is gone`);
  return row;
};

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  userId = (await createTestUser(handle)).id;
  await createBinaryDataset();
  await createIntervalDataset();
  challengeIds.set('systematics-binary', (await syncChallengeDefinition(handle.db, binaryDefinition(1))).id);
  challengeIds.set('toy-intervals', (await syncChallengeDefinition(handle.db, intervalDefinition)).id);
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('scoring a binary submission on systematic variations', () => {
  it('stores every metric for nominal, each variation and the robustness on both splits, with CIs around the values', async () => {
    const id = await submit(binaryDefinition(1), binaryCsv(noisyScore));
    expect(await scoreSubmission(deps(), id)).toEqual({ status: 'scored' });
    const version = currentScoringVersion(1);
    const row = await submissionRow(id);
    expect(row).toMatchObject({ status: 'scored', error: null, scoredVersion: version });

    const stored = await storedScores(id);
    const variations = ['nominal', 'jes_up', 'jes_down', 'generator', 'systematics'];
    const metrics = ['auc', 'rejection_at_0.5', 'ams_best'];
    expect(stored).toHaveLength(2 * variations.length * metrics.length);
    for (const split of ['public', 'private']) {
      const find = (variation: string, metric: string) => {
        const found = stored.find((s) => s.split === split && s.variation === variation && s.metric === metric);
        if (!found) throw new Error(`no ${split}/${variation}/${metric} row`);
        return found;
      };
      for (const variation of variations) {
        for (const metric of metrics) {
          const score = find(variation, metric);
          expect(score.scoringVersion).toBe(version);
          expect([score.value, score.ciLow, score.ciHigh].every((v) => Number.isFinite(v)), `${split}/${variation}/${metric}: ${score.value} [${score.ciLow}, ${score.ciHigh}]`).toBe(true);
          const where = `${split}/${variation}/${metric}: ${score.value} [${score.ciLow}, ${score.ciHigh}]`;
          expect(score.ciLow, where).toBeLessThanOrEqual(score.ciHigh as number);
          // Every interval contains its value, the robustness too (its interval is centred on the measured value).
          expect(score.ciLow, where).toBeLessThanOrEqual(score.value);
          expect(score.ciHigh, where).toBeGreaterThanOrEqual(score.value);
          expect(score.replicas).toHaveLength(40);
        }
      }
      // The robustness is the ATLAS recipe applied to the stored values; this classifier ignores the variation,
      // so its robustness is the change of the truth it is scored against.
      for (const metric of metrics) {
        const expected = systematicRobustness(
          find('nominal', metric).value,
          binaryVariations.map((v) => ({ name: v.name, group: v.group, pairedWith: v.pairedWith, value: find(v.name, metric).value })),
        ).total;
        expect(find('systematics', metric).value).toBeCloseTo(expected, 12);
      }
      expect(find('jes_up', 'auc').value).toBeLessThan(find('nominal', 'auc').value);
      expect(find('jes_down', 'auc').value).toBeGreaterThan(find('nominal', 'auc').value);
      expect(find('systematics', 'auc').value).toBeGreaterThan(0.01);
    }

    const details = await handle.db.select().from(scoreDetails).where(eq(scoreDetails.submissionId, id));
    expect(details.map((d) => `${d.split}/${d.variation}`).sort()).toEqual(
      ['public', 'private'].flatMap((s) => ['nominal', 'jes_up', 'jes_down', 'generator'].map((v) => `${s}/${v}`)).sort(),
    );
    const roc = (details[0]?.data as { roc: { tpr: number[]; fpr: number[] } }).roc;
    expect(roc.tpr.length).toBeGreaterThan(2);
    expect(roc.tpr.length).toBeLessThanOrEqual(500);
  });

  it('gives a perfect classifier robustness 0 on every metric, storing unbounded rejections as Infinity', async () => {
    const id = await submit(binaryDefinition(1), binaryCsv(labelOf), 'perfect.csv');
    expect(await scoreSubmission(deps(), id)).toEqual({ status: 'scored' });
    const stored = await storedScores(id);
    const robustness = stored.filter((s) => s.variation === 'systematics');
    expect(robustness).toHaveLength(6);
    for (const row of robustness) expect(row.value).toBeCloseTo(0, 12);
    const rejection = stored.find((s) => s.split === 'public' && s.variation === 'nominal' && s.metric === 'rejection_at_0.5');
    expect(rejection?.value).toBe(Infinity);
    expect(rejection?.replicas?.every((r) => r === Infinity)).toBe(true);
    expect(stored.find((s) => s.split === 'public' && s.variation === 'nominal' && s.metric === 'auc')?.value).toBe(1);
    // JSON has no Infinity: the board says "unbounded" rather than a bare null a client would read as missing.
    const admin = await createTestUser(handle, 'admin');
    const ctx = { db: handle.db, dataDir, user: admin, now: () => new Date(), queue: { async enqueueScoring() {} } };
    const board = JSON.parse(new TextDecoder().decode(await getLeaderboardJson(ctx, { challengeSlug: binaryDefinition(1).slug }))) as LeaderboardDto;
    const row = board.rows.find((r) => r.submissionId === id);
    expect(row?.values['rejection_at_0.5']).toMatchObject({ value: null, unbounded: true });
    expect(row?.values.auc).toEqual({ value: 1, ciLow: expect.any(Number), ciHigh: expect.any(Number) });
  });
});

describe('scoring an interval-estimation submission', () => {
  it('stores every interval metric with CIs on both splits, splitting by set, and the per-PE plot data with true μ', async () => {
    const id = await submit(intervalDefinition, intervalCsv(), 'intervals.csv');
    expect(await scoreSubmission(deps(), id)).toEqual({ status: 'scored' });
    const stored = await storedScores(id);
    expect(stored.map((s) => `${s.split}/${s.variation}/${s.metric}`).sort()).toEqual(
      ['public', 'private'].flatMap((s) => ['quantile_score', 'coverage', 'interval_width', 'rmse', 'mae'].map((m) => `${s}/nominal/${m}`)).sort(),
    );
    for (const row of stored) {
      expect(Number.isFinite(row.value)).toBe(true);
      expect(row.ciLow).toBeLessThanOrEqual(row.ciHigh as number);
      expect(row.replicas).toHaveLength(60);
    }
    const width = stored.find((s) => s.split === 'public' && s.metric === 'interval_width');
    expect(width?.value).toBeCloseTo(0.32, 12);

    const details = await handle.db.select().from(scoreDetails).where(eq(scoreDetails.submissionId, id));
    expect(details).toHaveLength(2);
    const setsBySplit = new Map<string, Set<number>>();
    for (const detail of details) {
      const data = detail.data as { kind: string; pe: { peId: number[]; muTrue: number[] | null }; coverageByMu: { count: number[] }; targetCoverage: number };
      expect(data.kind).toBe('interval');
      expect(data.targetCoverage).toBe(0.6827);
      expect(data.pe.muTrue).toEqual(data.pe.peId.map(muOf));
      expect(data.coverageByMu.count.reduce((a, b) => a + b, 0)).toBe(data.pe.peId.length);
      setsBySplit.set(detail.split, new Set(data.pe.peId.map(setOf)));
    }
    const publicSets = setsBySplit.get('public') ?? new Set();
    const privateSets = setsBySplit.get('private') ?? new Set();
    expect(publicSets.size + privateSets.size).toBe(sets);
    for (const set of publicSets) expect(privateSets.has(set)).toBe(false);
  });
});

describe('rescoring', () => {
  it('adds the new version beside the old one, moves scored_version, and keeps the old version current when a rescore fails', async () => {
    const id = await submit(binaryDefinition(1), binaryCsv((i) => noisyScore(i) * 0.99), 'rescored.csv');
    await scoreSubmission(deps(), id);
    const first = currentScoringVersion(1);
    const firstRows = await storedScores(id, first);
    expect(firstRows.length).toBeGreaterThan(0);

    await syncChallengeDefinition(handle.db, binaryDefinition(2));
    const second = currentScoringVersion(2);
    expect(await scoreSubmission(deps(), id)).toEqual({ status: 'scored' });
    expect(await submissionRow(id)).toMatchObject({ status: 'scored', scoredVersion: second, error: null });
    expect(await storedScores(id, second)).toHaveLength(firstRows.length);
    const keptRows = await storedScores(id, first);
    expect(keptRows.map((r) => [r.id, r.value])).toEqual(expect.arrayContaining(firstRows.map((r) => [r.id, r.value])));
    expect(keptRows).toHaveLength(firstRows.length);
    // Idempotent: running the same version again overwrites its rows.
    await scoreSubmission(deps(), id);
    expect(await storedScores(id, second)).toHaveLength(firstRows.length);
    expect(await handle.db.select().from(scoreDetails).where(and(eq(scoreDetails.submissionId, id), eq(scoreDetails.scoringVersion, second)))).toHaveLength(8);

    await syncChallengeDefinition(handle.db, binaryDefinition(3));
    const row = await submissionRow(id);
    await deleteBlob(dataDir, row.sha256);
    const failed = await scoreSubmission(deps(), id);
    expect(failed.status).toBe('failed');
    const after = await submissionRow(id);
    expect(after.status).toBe('scored');
    expect(after.scoredVersion).toBe(second);
    expect(after.error).toMatch(new RegExp(`^Rescoring under version ${currentScoringVersion(3).replace('.', '\\.')} failed: Stored file [0-9a-f]{64} is missing from the blob store`));
    expect(await storedScores(id, currentScoringVersion(3))).toHaveLength(0);
    expect(await storedScores(id, second)).toHaveLength(firstRows.length);
  });
});

describe('a failed submission handed back to the queue', () => {
  it('is scored afresh under the current version, its old reason cleared', async () => {
    const id = await submit(binaryDefinition(1), binaryCsv((i) => noisyScore(i) * 0.98), 'retried.csv');
    await handle.db.update(submissions).set({ status: 'failed', error: 'Scoring did not finish in time.' }).where(eq(submissions.id, id));
    expect(await scoreSubmission(deps(), id)).toEqual({ status: 'scored' });
    const row = await submissionRow(id);
    expect(row).toMatchObject({ status: 'scored', error: null });
    expect(await storedScores(id, row.scoredVersion ?? '')).toHaveLength(30);
  });
});
