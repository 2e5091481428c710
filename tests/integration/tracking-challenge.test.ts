import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { auditEvents, challenges, scoreDetails, scores, submissions } from '@/db/schema';
import { scoreTrackingFiles } from '@/lib/pipeline/scoring/score-tracking-files';
import type { SessionUser } from '@/lib/server/context';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { seedBuiltinBaseline } from '@/lib/server/seed/seed-builtin-baseline';
import { getDatasetVersionPage } from '@/lib/server/datasets/get-dataset-version-page';
import { getFeatureHistogram } from '@/lib/server/datasets/get-feature-histogram';
import { setDatasetOwner } from '@/lib/server/datasets/set-dataset-owner';
import { checkChallengeDefinition } from '@/lib/server/organiser/check-challenge-definition';
import { blobFilePath } from '@/lib/server/storage/blob-store';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { getSubmissionDetail } from '@/lib/server/submissions/get-submission-detail';
import { AppError } from '@/lib/shared/app-error';
import { decodeArrowColumns, encodeArrowTable } from '@/lib/shared/arrow';
import type { TrackingScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { assignPublicSplit } from '@/scoring/split';
import { createTrackmlToyChallenge } from '../support/challenge-factories';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let definition: ChallengeDefinition;
let participant: SessionUser;
let rival: SessionUser;
let organiser: SessionUser;
let versionDir: string;

/** The server-only truth, read here only to build submissions of known quality and the offline truth file. */
let truth: { eventId: Int32Array; hitId: Int32Array; particleId: BigInt64Array; weight: Float64Array };

const as = (user: SessionUser) => makeContext(handle, dataDir, user, makeRecordingQueue());

function submissionCsv(trackOf: (row: number) => number | bigint, rows = truth.eventId.length): string {
  const lines = ['event_id,hit_id,track_id'];
  for (let row = 0; row < rows; row++) lines.push(`${truth.eventId[row]},${truth.hitId[row]},${trackOf(row)}`);
  return `${lines.join('\n')}\n`;
}

async function submitAndScore(user: SessionUser, fileName: string, body: Uint8Array) {
  const created = await createSubmission(as(user), { challengeSlug: definition.slug, fileName, body });
  const outcome = await scoreSubmission({ db: handle.db, dataDir }, created.id);
  expect(outcome, JSON.stringify(outcome)).toEqual({ status: 'scored' });
  return created.id;
}

async function scoresOf(id: string) {
  const rows = await handle.db.select().from(scores).where(eq(scores.submissionId, id));
  return new Map(rows.map((r) => [`${r.split}:${r.metric}`, r]));
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  definition = await createTrackmlToyChallenge(handle, dataDir, { scoring: { bootstrapReplicas: 100, threshold: 0.5, backgroundRelativeUncertainty: 0, variations: [] } });
  participant = await createTestUser(handle, 'participant', 'Tracker');
  rival = await createTestUser(handle, 'participant', 'Rival');
  organiser = await createTestUser(handle, 'organiser', 'Organiser');
  await handle.db.update(challenges).set({ createdBy: organiser.id }).where(eq(challenges.slug, definition.slug));
  await setDatasetOwner(handle.db, definition.dataset.id, organiser.id);
  versionDir = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
  const table = decodeArrowColumns(new Uint8Array(fs.readFileSync(path.join(versionDir, 'truth_tracks.arrow'))));
  truth = {
    eventId: table.columns.event_id as Int32Array,
    hitId: table.columns.hit_id as Int32Array,
    particleId: table.columns.particle_id as BigInt64Array,
    weight: table.columns.weight as Float64Array,
  };
}, 180_000);

afterAll(async () => {
  await handle?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('track-assignment challenges (TrackML)', () => {
  it('scores a perfect assignment 1 on both splits, with efficiency 1 and no fakes', async () => {
    // Track = particle; every noise hit a track of its own.
    const id = await submitAndScore(participant, 'perfect.csv', new TextEncoder().encode(submissionCsv((row) => (truth.particleId[row] === 0n ? 10_000_000 + row : truth.particleId[row] as bigint))));
    const stored = await scoresOf(id);
    for (const split of ['public', 'private']) {
      expect(stored.get(`${split}:trackml_score`)?.value).toBeCloseTo(1, 12);
      expect(stored.get(`${split}:tracking_efficiency`)?.value).toBe(1);
      expect(stored.get(`${split}:tracking_fake_rate`)?.value).toBe(0);
    }
  });

  it('scores the uploaded baseline per event as the offline scorer does on the split, with a bootstrap interval over events', async () => {
    const baseline = fs.readFileSync(path.join(versionDir, 'baseline_submission.csv'));
    const id = await submitAndScore(participant, 'hough.csv.gz', new Uint8Array(zlib.gzipSync(baseline)));
    const stored = await scoresOf(id);
    const eventIds = [...new Set(truth.eventId)].sort((a, b) => a - b);
    const isPublic = assignPublicSplit(eventIds, definition.splits.seed, definition.splits.publicFraction);
    for (const split of ['public', 'private'] as const) {
      const events = new Set(eventIds.filter((_, k) => (isPublic[k] === 1) === (split === 'public')));
      const truthLines = ['event_id,hit_id,particle_id,weight'];
      for (let row = 0; row < truth.eventId.length; row++) {
        if (events.has(truth.eventId[row] as number)) truthLines.push(`${truth.eventId[row]},${truth.hitId[row]},${truth.particleId[row]},${truth.weight[row]}`);
      }
      const submissionLines = baseline.toString('utf8').trim().split('\n');
      const splitSubmission = [submissionLines[0], ...submissionLines.slice(1).filter((l) => events.has(Number(l.split(',')[0])))];
      fs.writeFileSync(path.join(dataDir, `${split}-truth.csv`), `${truthLines.join('\n')}\n`);
      fs.writeFileSync(path.join(dataDir, `${split}-submission.csv`), `${splitSubmission.join('\n')}\n`);
      const offline = await scoreTrackingFiles({ truthPath: path.join(dataDir, `${split}-truth.csv`), predictionsPath: path.join(dataDir, `${split}-submission.csv`) });
      const row = stored.get(`${split}:trackml_score`);
      expect(row?.value, split).toBeCloseTo(offline.metrics.trackml_score, 12);
      expect(offline.events).toBe(events.size);
      expect(row?.value).toBeLessThan(0.98);
      expect(row?.ciLow).toBeLessThanOrEqual(row?.value as number);
      expect(row?.ciHigh).toBeGreaterThanOrEqual(row?.value as number);
      expect(row?.replicas).toHaveLength(100);
    }
    const [detail] = await handle.db.select().from(scoreDetails).where(and(eq(scoreDetails.submissionId, id), eq(scoreDetails.split, 'public')));
    const data = detail?.data as TrackingScoreDetail;
    expect(data.kind).toBe('tracking');
    const publicEvents = eventIds.filter((_, k) => isPublic[k] === 1);
    expect(data.events.eventId).toEqual(publicEvents);
    expect(data.display?.eventId).toBe(publicEvents[0]);
    const display = data.display as NonNullable<TrackingScoreDetail['display']>;
    expect(display.x.length).toBe(truth.eventId.filter((e) => e === publicEvents[0]).length);
    expect(display.track.length).toBe(display.x.length);
    expect(Object.keys(display).sort()).toEqual(['eventId', 'hits', 'track', 'tracks', 'x', 'y', 'z']);
    expect(data.byPt.reconstructable.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(data.byPt.matched.every((m, k) => m <= (data.byPt.reconstructable[k] as number))).toBe(true);
    expect(data.byEta.fakes.every((f, k) => f <= (data.byEta.candidates[k] as number))).toBe(true);

    // The submitter sees the public numbers and plots; the private split stays hidden while the phase is open.
    const seen = await getSubmissionDetail(as(participant), id);
    expect(seen.task).toBe('track-assignment');
    expect(seen.scores.public?.nominal?.trackml_score?.value).toBeCloseTo(stored.get('public:trackml_score')?.value as number, 15);
    expect(seen.scores.private).toBeUndefined();
    expect(seen.details.public?.nominal?.kind).toBe('tracking');
  });

  it('accepts Arrow IPC with the three columns in any order and any integer type', async () => {
    const rows = truth.eventId.length;
    const bytes = encodeArrowTable({
      track_id: Float64Array.from({ length: rows }, (_, row) => Number(truth.particleId[row] === 0n ? BigInt(row) + 10n ** 12n : (truth.particleId[row] as bigint) % 1_000_003n)),
      hit_id: truth.hitId,
      event_id: truth.eventId,
    });
    const id = await submitAndScore(rival, 'tracks.arrow', bytes);
    expect((await scoresOf(id)).get('public:trackml_score')?.value).toBeGreaterThan(0.9);
  });

  it('refuses an invalid file at upload, naming the line, the column and expected vs found, and stores nothing', async () => {
    const before = (await handle.db.select({ id: submissions.id }).from(submissions)).length;
    const n = truth.eventId.length;
    const cases: Array<[string, string, RegExp]> = [
      ['negative.csv', submissionCsv((row) => (row === 5 ? -3 : 1)), /negative\.csv line 7, column "track_id": expected a non-negative integer, found "-3"/],
      ['missing.csv', submissionCsv(() => 1, n - 2), /missing\.csv is missing 2 of the \d+ hits, in 1 of the 8 test events \(event \d+ hit \d+, event \d+ hit \d+\)/],
      ['unknown-event.csv', submissionCsv(() => 1).replace(`\n${truth.eventId[0]},`, '\n77,'), /unknown-event\.csv line 2, column "event_id": expected a test event \(8 events, ids \d+ … \d+\), found "77", which is not a test event/],
      ['twice.csv', submissionCsv(() => 1).replace(`\n${truth.eventId[1]},${truth.hitId[1]},`, `\n${truth.eventId[0]},${truth.hitId[0]},`), /twice\.csv line 3, column "hit_id": expected each hit of each event exactly once/],
      ['header.csv', submissionCsv(() => 1).replace('event_id,hit_id,track_id', 'event,hit,track'), /header\.csv line 1: expected the header "event_id,hit_id,track_id"/],
    ];
    for (const [fileName, text, message] of cases) {
      const attempt = createSubmission(as(participant), { challengeSlug: definition.slug, fileName, body: new TextEncoder().encode(text) });
      await expect(attempt, fileName).rejects.toMatchObject({ code: 'INVALID_SUBMISSION' });
      await expect(createSubmission(as(participant), { challengeSlug: definition.slug, fileName, body: new TextEncoder().encode(text) })).rejects.toThrow(message);
    }
    expect((await handle.db.select({ id: submissions.id }).from(submissions)).length).toBe(before);
  });

  it('lets organisers define track-assignment challenges only on datasets with tracking truth, and tracking metrics only', async () => {
    const { pages, ...rest } = definition;
    const base = { ...rest, slug: 'my-tracking', pages };
    await expect(checkChallengeDefinition(handle.db, base, { user: organiser })).resolves.toMatchObject({ definition: { task: 'track-assignment' } });
    await expect(checkChallengeDefinition(handle.db, { ...base, metrics: [{ id: 'auc', primary: true }] }, { user: organiser })).rejects.toThrow(/tracking metrics for track-assignment/);
    await expect(checkChallengeDefinition(handle.db, { ...base, task: 'binary-classification', metrics: [{ id: 'auc', primary: true }] }, { user: organiser })).rejects.toThrow(
      /task: dataset trackml-toy 1\.0\.0 has no truth\.arrow/,
    );
  });

  it('pins the dataset baseline once, even when two servers seed it together, and ranks participants beside it with tie groups', async () => {
    const deps = { db: handle.db, dataDir, queue: makeRecordingQueue() };
    const outcomes = await Promise.all([seedBuiltinBaseline(deps, definition.slug, organiser.id), seedBuiltinBaseline(deps, definition.slug, organiser.id)]);
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['created', 'exists']);
    expect((await seedBuiltinBaseline(deps, definition.slug, organiser.id)).outcome).toBe('exists');
    const baselines = await handle.db.select().from(submissions).where(and(eq(submissions.isBaseline, true)));
    expect(baselines).toHaveLength(1);
    const baseline = baselines[0] as (typeof baselines)[number];
    expect(baseline.userId).toBe(organiser.id);
    expect(fs.existsSync(blobFilePath(dataDir, baseline.sha256))).toBe(true);
    expect(await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'submission.baseline'))).toHaveLength(1);
    expect(await scoreSubmission({ db: handle.db, dataDir }, baseline.id)).toEqual({ status: 'scored' });

    const board = await getLeaderboard(as(participant), { challengeSlug: definition.slug });
    const pinned = board.rows.filter((r) => r.isBaseline);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]?.rank).toBeNull();
    const ranked = board.rows.filter((r) => !r.isBaseline);
    expect(ranked.map((r) => r.userName)).toEqual(['Tracker', 'Rival']);
    for (const row of ranked) {
      expect(row.tieGroup).toBeGreaterThanOrEqual(1);
      expect(row.values.trackml_score?.ciLow).not.toBeNull();
    }
  });

  it('shows its dataset in the catalogue without process tables, and refuses feature histograms naming its training files', async () => {
    // Hit tables carry no label: the version page lists no processes (never a 500), the explorer says why.
    const page = await getDatasetVersionPage(as(participant), { dataset: definition.dataset.id, version: definition.dataset.version });
    expect(page.training).toBeNull();
    expect(page.files.map((f) => f.name)).toContain('train_hits.arrow');
    let refused: unknown = null;
    await getFeatureHistogram(as(participant), { dataset: definition.dataset.id, version: definition.dataset.version, feature: 'x' }).catch((error: unknown) => (refused = error));
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('INVALID_DATASET');
    expect((refused as AppError).message).toContain('has no train.arrow');
    expect((refused as AppError).message).toContain('train_hits.arrow');
  });
});
