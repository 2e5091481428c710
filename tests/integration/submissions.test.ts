import fs from 'node:fs';
import path from 'node:path';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { scores, submissions } from '@/db/schema';
import { getLeaderboard, getLeaderboardJson } from '@/lib/server/leaderboards/get-leaderboard';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { AppError } from '@/lib/shared/app-error';
import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';
import { bootstrapBinaryMetrics } from '@/scoring/bootstrap-binary';
import { computeBinaryMetrics } from '@/scoring/registry';
import { assignPublicSplit } from '@/scoring/split';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let definition: ChallengeDefinition;
let testIds: number[];
let truth: { ids: number[]; labels: number[]; weights: number[] };

function readColumn(file: string, name: string): number[] {
  const table = decodeArrowTable(new Uint8Array(fs.readFileSync(file)));
  const column = table.columns[name];
  if (!column || Array.isArray(column)) throw new Error(`${file} has no numeric column ${name}`);
  return Array.from(column as ArrayLike<number>);
}

/** A deterministic, informative score: closeness of the visible mass to the Higgs peak. */
function predictionsCsv(ids: number[], scoreOf: (id: number, row: number) => number): string {
  return ['id,score', ...ids.map((id, row) => `${id},${scoreOf(id, row)}`)].join('\n') + '\n';
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  definition = await createToyChallenge(handle, dataDir, { phases: [{ key: 'open', title: 'Open', opensAt: '2020-01-01T00:00:00Z', closesAt: null, maxPerDay: 3, maxTotal: null }] });
  const folder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
  testIds = readColumn(path.join(folder, 'test.arrow'), 'id');
  truth = {
    ids: readColumn(path.join(folder, 'truth.arrow'), 'id'),
    labels: readColumn(path.join(folder, 'truth.arrow'), 'label'),
    weights: readColumn(path.join(folder, 'truth.arrow'), 'weight'),
  };
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('submissions from upload to leaderboard', () => {
  it('scores an accepted file on both splits with the same numbers as the scoring library', async () => {
    const user = await createTestUser(handle);
    const queue = makeRecordingQueue();
    const ctx = makeContext(handle, dataDir, user, queue);
    const labelById = new Map(truth.ids.map((id, i) => [id, truth.labels[i] ?? 0]));
    // A noisy but informative score built from the truth, so AUC is well away from 0.5 and 1.
    const scoreOf = (id: number) => Math.min(1, Math.max(0, 0.35 * (labelById.get(id) ?? 0) + ((id * 7919) % 1000) / 1500));
    const csv = predictionsCsv([...testIds].reverse(), scoreOf);
    const created = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'preds.csv', body: new TextEncoder().encode(csv) });
    expect(created.status).toBe('queued');
    expect(queue.enqueued).toEqual([created.id]);

    const outcome = await scoreSubmission({ db: handle.db, dataDir }, created.id);
    expect(outcome).toEqual({ status: 'scored' });
    const rows = await handle.db.select().from(scores).where(eq(scores.submissionId, created.id));
    expect(rows.map((r) => `${r.split}:${r.metric}`).sort()).toEqual(['private:ams_best', 'private:auc', 'public:ams_best', 'public:auc']);

    // Independent recomputation: split by the SplitMix64 rule, weights renormalised per class to the yields.
    const manifest = JSON.parse(fs.readFileSync(path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version, 'manifest.json'), 'utf8'));
    const isPublic = assignPublicSplit(truth.ids, definition.splits.seed, definition.splits.publicFraction);
    for (const split of ['public', 'private'] as const) {
      const rowsOfSplit = truth.ids.map((_, i) => i).filter((i) => (isPublic[i] === 1) === (split === 'public'));
      const sums = new Float64Array(2);
      for (const i of rowsOfSplit) sums[truth.labels[i] ?? 0] = (sums[truth.labels[i] ?? 0] ?? 0) + (truth.weights[i] ?? 0);
      const yields = [manifest.expectedYields.background, manifest.expectedYields.signal];
      const expected = computeBinaryMetrics(
        {
          labels: Uint8Array.from(rowsOfSplit, (i) => truth.labels[i] ?? 0),
          scores: Float64Array.from(rowsOfSplit, (i) => scoreOf(truth.ids[i] ?? 0)),
          weights: Float64Array.from(rowsOfSplit, (i) => ((truth.weights[i] ?? 0) * yields[truth.labels[i] ?? 0]) / (sums[truth.labels[i] ?? 0] ?? 1)),
        },
        ['auc', 'ams_best'],
      );
      for (const metric of ['auc', 'ams_best'] as const) {
        const stored = rows.find((r) => r.split === split && r.metric === metric);
        expect(stored?.value).toBeCloseTo(expected[metric] ?? NaN, 9);
      }
      // The stored replicas are the shared, seeded resamplings of this split: recomputing them gives the same numbers.
      const input = {
        labels: Uint8Array.from(rowsOfSplit, (i) => truth.labels[i] ?? 0),
        scores: Float64Array.from(rowsOfSplit, (i) => scoreOf(truth.ids[i] ?? 0)),
        weights: Float64Array.from(rowsOfSplit, (i) => ((truth.weights[i] ?? 0) * yields[truth.labels[i] ?? 0]) / (sums[truth.labels[i] ?? 0] ?? 1)),
      };
      const boot = bootstrapBinaryMetrics(input, ['auc', 'ams_best'], { seed: definition.splits.seed, splitKey: split, replicas: 200 });
      for (const metric of ['auc', 'ams_best'] as const) {
        const stored = rows.find((r) => r.split === split && r.metric === metric);
        expect(stored?.replicaCount).toBe(200);
        expect(stored?.replicas).toHaveLength(200);
        expect(stored?.replicas?.[17]).toBeCloseTo(boot.replicaValues[metric][17] ?? NaN, 9);
        expect(stored?.ciLow).toBeCloseTo(boot.intervals[metric][0], 9);
        expect(stored?.ciHigh).toBeCloseTo(boot.intervals[metric][1], 9);
        expect((stored?.ciLow ?? 0) < (stored?.ciHigh ?? 0)).toBe(true);
      }
    }
    const [mine] = await listMySubmissions(ctx);
    expect(mine?.status).toBe('scored');
    expect(Object.keys(mine?.publicScores ?? {}).sort()).toEqual(['ams_best', 'auc']);
    expect(mine?.privateScores).toBeNull();
  });

  it('rejects a file with a bad score naming the line, and stores nothing', async () => {
    const user = await createTestUser(handle);
    const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
    const lines = predictionsCsv(testIds, () => 0.5).split('\n');
    lines[4] = `${testIds[3]},1.7`;
    const before = await handle.db.select({ n: count() }).from(submissions);
    const blobsBefore = fs.existsSync(path.join(dataDir, 'blobs')) ? fs.readdirSync(path.join(dataDir, 'blobs'), { recursive: true }).length : 0;
    const attempt = createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'bad.csv', body: new TextEncoder().encode(lines.join('\n')) });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_SUBMISSION', details: { row: 5, column: 'score' } });
    const after = await handle.db.select({ n: count() }).from(submissions);
    expect(after[0]?.n).toBe(before[0]?.n);
    const blobsAfter = fs.existsSync(path.join(dataDir, 'blobs')) ? fs.readdirSync(path.join(dataDir, 'blobs'), { recursive: true }).length : 0;
    expect(blobsAfter).toBe(blobsBefore);
  });

  it('never lets concurrent uploads exceed the daily limit, and failed submissions do not count', async () => {
    const user = await createTestUser(handle);
    const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
    const attempts = Array.from({ length: 8 }, (_, k) =>
      createSubmission(ctx, {
        challengeSlug: definition.slug,
        fileName: `p${k}.csv`,
        body: new TextEncoder().encode(predictionsCsv(testIds, (id) => ((id + k) % 97) / 97)),
      }),
    );
    const results = await Promise.allSettled(attempts);
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(accepted).toHaveLength(3);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'LIMIT_REACHED' });

    // A failed submission frees its slot.
    const first = accepted[0] as PromiseFulfilledResult<{ id: string }>;
    await handle.db.update(submissions).set({ status: 'failed', error: 'test' }).where(eq(submissions.id, first.value.id));
    const again = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'again.csv', body: new TextEncoder().encode(predictionsCsv(testIds, () => 0.25)) });
    expect(again.status).toBe('queued');
  });

  it('shows each participant once, with their best public entry, and refuses the private board while open', async () => {
    const alice = await createTestUser(handle, 'participant', 'Alice');
    const bob = await createTestUser(handle, 'participant', 'Bob');
    const labelById = new Map(truth.ids.map((id, i) => [id, truth.labels[i] ?? 0]));
    const submit = async (user: typeof alice, strength: number) => {
      const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
      const csv = predictionsCsv(testIds, (id) => Math.min(1, strength * (labelById.get(id) ?? 0) + ((id * 104729) % 1000) / 1000 * (1 - strength)));
      const s = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'p.csv', body: new TextEncoder().encode(csv) });
      await scoreSubmission({ db: handle.db, dataDir }, s.id);
      return s.id;
    };
    await submit(alice, 0.1);
    const aliceBest = await submit(alice, 0.5);
    await submit(alice, 0.2);
    const bobOnly = await submit(bob, 0.3);
    const board = await getLeaderboard(makeContext(handle, dataDir, alice, makeRecordingQueue()), { challengeSlug: definition.slug });
    const named = board.rows.filter((r) => r.userName === 'Alice' || r.userName === 'Bob');
    expect(named.map((r) => [r.userName, r.submissionId, r.entries])).toEqual([
      ['Alice', aliceBest, 3],
      ['Bob', bobOnly, 1],
    ]);
    expect(named[0]?.isYou).toBe(true);
    const primary = board.metrics[0];
    expect(primary?.id).toBe('ams_best');
    const values = board.rows.map((r) => r.values.ams_best?.value ?? -Infinity);
    expect([...values].sort((a, b) => b - a)).toEqual(values);
    await expect(getLeaderboard(makeContext(handle, dataDir, null, makeRecordingQueue()), { challengeSlug: definition.slug, split: 'private' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    // The API's JSON (serialised once per board for viewers who own no row) is exactly the board, for everyone.
    for (const viewer of [null, alice, bob]) {
      const ctx = makeContext(handle, dataDir, viewer, makeRecordingQueue());
      const json = new TextDecoder().decode(await getLeaderboardJson(ctx, { challengeSlug: definition.slug }));
      expect(json).toBe(JSON.stringify(await getLeaderboard(ctx, { challengeSlug: definition.slug })));
      expect((JSON.parse(json) as LeaderboardDto).rows.filter((r) => r.isYou).map((r) => r.userName)).toEqual(viewer ? [viewer.name] : []);
    }
  });

  it('puts identical predictions in one tie group and a clearly better entry in a group of its own', async () => {
    const labelById = new Map(truth.ids.map((id, i) => [id, truth.labels[i] ?? 0]));
    const weakScores = (id: number) => Math.min(1, 0.05 * (labelById.get(id) ?? 0) + ((id * 7919) % 1000) / 1100);
    const strongScores = (id: number) => Math.min(1, 0.9 * (labelById.get(id) ?? 0) + ((id * 7919) % 1000) / 10000);
    const entries: Array<[string, (id: number) => number]> = [
      ['Twin A', weakScores],
      ['Twin B', weakScores],
      ['Strong', strongScores],
    ];
    for (const [name, scoreOf] of entries) {
      const ctx = makeContext(handle, dataDir, await createTestUser(handle, 'participant', name), makeRecordingQueue());
      const s = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'p.csv', body: new TextEncoder().encode(predictionsCsv(testIds, scoreOf)) });
      await scoreSubmission({ db: handle.db, dataDir }, s.id);
    }
    const board = await getLeaderboard(makeContext(handle, dataDir, null, makeRecordingQueue()), { challengeSlug: definition.slug });
    const row = (name: string) => board.rows.find((r) => r.userName === name);
    // Earlier suites' entries share this board; what matters is how these three stand against each other.
    expect(row('Strong')?.rank).toBeLessThan(row('Twin A')?.rank ?? 0);
    expect(row('Strong')?.rankInterval?.[1]).toBeLessThan(row('Twin A')?.rankInterval?.[0] ?? 0);
    expect(row('Twin A')?.tieGroup).toBe(row('Twin B')?.tieGroup);
    expect(row('Twin A')?.tieGroup).toBeGreaterThan(row('Strong')?.tieGroup ?? Infinity);
    const ci = row('Strong')?.values.ams_best;
    expect(ci?.ciLow).not.toBeNull();
    expect((ci?.ciLow ?? 0) <= (ci?.ciHigh ?? 0)).toBe(true);
  });

  it('refuses uploads from anonymous users and to closed phases', async () => {
    const anonymous = makeContext(handle, dataDir, null, makeRecordingQueue());
    const bytes = new TextEncoder().encode(predictionsCsv(testIds, () => 0.5));
    await expect(createSubmission(anonymous, { challengeSlug: definition.slug, fileName: 'p.csv', body: bytes })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const user = await createTestUser(handle);
    const later = makeContext(handle, dataDir, user, makeRecordingQueue(), () => new Date('2019-06-01T00:00:00Z'));
    await expect(createSubmission(later, { challengeSlug: definition.slug, fileName: 'p.csv', body: bytes })).rejects.toMatchObject({ code: 'PHASE_CLOSED' });
  });
});
