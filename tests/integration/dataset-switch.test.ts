import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import topTaggingToy from '@/challenges/top-tagging-toy/challenge';
import type { DatabaseHandle } from '@/db/client';
import { challenges } from '@/db/schema';
import type { SessionUser } from '@/lib/server/context';
import { getChallenge } from '@/lib/server/challenges/get-challenge';
import { registerDatasetVersion } from '@/lib/server/datasets/register-dataset-version';
import { attachDatasetVersion } from '@/lib/server/organiser/attach-dataset-version';
import { getOrganisedChallenge } from '@/lib/server/organiser/get-organised-challenge';
import { planDatasetSwitch } from '@/lib/server/organiser/plan-dataset-switch';
import { updateChallengeDefinition } from '@/lib/server/organiser/update-challenge-definition';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { buildTopTaggingToyDataset } from '@/lib/pipeline/toy/top-tagging-toy';
import { buildTrackmlToyDataset } from '@/lib/pipeline/toy/trackml-toy';
import { decodeArrowColumns, decodeArrowTable } from '@/lib/shared/arrow';
import { createTrackmlToyChallenge } from '../support/challenge-factories';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

/**
 * Bug 3 of issue 17: a challenge's dataset can only be switched to another version of the same dataset, after a plan
 * that says whether it fits (task, variations, feature columns, test ids) and which entries are rescored; a version
 * that does not fit is refused with every reason, and nothing changes.
 */
let handle: DatabaseHandle;
let dataDir: string;
let admin: SessionUser;
let participant: SessionUser;
const queue = makeRecordingQueue();
const slug = 'switch-toy';
const sizes = { trainEvents: 300, testEvents: 300, luminosityFb: 10 };
const as = (user: SessionUser) => makeContext(handle, dataDir, user, queue);

async function buildVersion(version: string, seed: number, edit?: (manifest: Record<string, unknown>) => void, testEvents = sizes.testEvents): Promise<void> {
  const relative = path.join('datasets', 'higgs-tautau-toy', version);
  const outDir = path.join(dataDir, relative);
  await buildHiggsTautauToyDataset({ outDir, seed, version, createdAt: '2026-01-01T00:00:00.000Z', ...sizes, testEvents });
  if (edit) {
    const file = path.join(outDir, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
    edit(manifest);
    fs.writeFileSync(file, JSON.stringify(manifest));
  }
  await registerDatasetVersion(handle.db, dataDir, relative);
}

function predictions(version: string): Uint8Array {
  const table = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dataDir, 'datasets', 'higgs-tautau-toy', version, 'test.arrow'))));
  const ids = Array.from(table.columns.id as ArrayLike<number>);
  return new TextEncoder().encode(['id,score', ...ids.map((id, i) => `${id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n');
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  admin = await createTestUser(handle, 'admin');
  participant = await createTestUser(handle);
  await buildVersion('1.0.0', 7);
  await createToyChallenge(handle, dataDir, { slug }, sizes);
  // 1.0.1: the same events rebuilt (same seed and ids); 2.0.0: other events (another seed, 50 test ids fewer);
  // 2.1.0: the same ids as 1.0.0 but two feature columns dropped from the table description.
  await buildVersion('1.0.1', 7);
  await buildVersion('2.0.0', 99, undefined, sizes.testEvents - 50);
  await buildVersion('2.1.0', 7, (manifest) => {
    manifest.featureColumns = (manifest.featureColumns as string[]).filter((c) => c !== 'DER_mass_vis' && c !== 'PRI_had_pt');
  });
  // Another dataset of another task style, which must never be attachable to this challenge.
  const topRelative = path.join('datasets', 'top-tagging-toy', topTaggingToy.dataset.version);
  await buildTopTaggingToyDataset({ outDir: path.join(dataDir, topRelative), seed: 3, trainJets: 200, testJets: 200, createdAt: '2026-01-01T00:00:00.000Z' });
  await registerDatasetVersion(handle.db, dataDir, topRelative);
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('switching the dataset version', () => {
  it('refuses another dataset, saying why, and changes nothing', async () => {
    const plan = await planDatasetSwitch(as(admin), { slug, dataset: 'top-tagging-toy', version: '1.0.0' });
    expect(plan.problems.map((p) => p.aspect)).toEqual(['dataset']);
    expect(plan.problems[0]?.message).toContain('only versions of higgs-tautau-toy can be switched to here');
    await expect(attachDatasetVersion(as(admin), { slug, dataset: 'top-tagging-toy', version: '1.0.0' })).rejects.toMatchObject({
      code: 'INVALID_CHALLENGE',
      details: { issues: [{ path: 'dataset (dataset)' }] },
    });
    expect(await getChallenge(as(participant), slug)).toMatchObject({ revision: 1, dataset: { id: 'higgs-tautau-toy', version: '1.0.0' } });
  });

  it('refuses a version without a feature column of the current one, naming the columns', async () => {
    const plan = await planDatasetSwitch(as(admin), { slug, version: '2.1.0' });
    expect(plan.problems).toEqual([{ aspect: 'columns', message: 'higgs-tautau-toy 2.1.0 lacks the feature columns PRI_had_pt, DER_mass_vis of the current version' }]);
  });

  it('with entries, refuses a version with other test ids (they would all fail), naming how the ids differ', async () => {
    const created = await createSubmission(as(participant), { challengeSlug: slug, fileName: 'p.csv', body: predictions('1.0.0') });
    await scoreSubmission({ db: handle.db, dataDir }, created.id);
    const plan = await planDatasetSwitch(as(admin), { slug, version: '2.0.0' });
    expect(plan.problems.map((p) => p.aspect)).toEqual(['test-ids']);
    expect(plan.problems[0]?.message).toMatch(/^in higgs-tautau-toy 2\.0\.0, the test set has 250 ids instead of 300, lacks \d+, \d+, \d+, \d+, \d+, … \(50 in all\): the 1 stored entry covers the current ids and would fail when rescored$/);
    await expect(attachDatasetVersion(as(admin), { slug, version: '2.0.0' })).rejects.toMatchObject({ code: 'INVALID_CHALLENGE', message: expect.stringContaining('Nothing was changed.') });
    expect((await getOrganisedChallenge(as(admin), slug)).dataset.version).toBe('1.0.0');
  });

  it('shows the rescore plan of a version that fits, carries out exactly that plan, and refuses an outdated one', async () => {
    const plan = await planDatasetSwitch(as(admin), { slug, version: '1.0.1' });
    expect(plan.problems).toEqual([]);
    expect(plan.notes).toContain('The test ids are the same, so every stored entry can be rescored against the new truth.');
    expect(plan).toMatchObject({ from: { version: '1.0.0' }, to: { version: '1.0.1' }, revisionAfter: 2, totalToRescore: 1 });
    expect(plan.phases).toEqual([expect.objectContaining({ key: 'open', toRescore: 1, pending: 0 })]);
    // The challenge changes after the plan was shown (a new entry): that plan is refused, a fresh one goes through.
    await createSubmission(as(participant), { challengeSlug: slug, fileName: 'late.csv', body: predictions('1.0.0') });
    await handle.db.update(challenges).set({ updatedAt: new Date() }).where(eq(challenges.slug, slug));
    await expect(attachDatasetVersion(as(admin), { slug, version: '1.0.1', planToken: plan.planToken })).rejects.toMatchObject({ code: 'CONFLICT' });
    const fresh = await planDatasetSwitch(as(admin), { slug, version: '1.0.1' });
    expect(fresh.phases[0]).toMatchObject({ toRescore: 1, pending: 1 });
    queue.enqueued.length = 0;
    const done = await attachDatasetVersion(as(admin), { slug, version: '1.0.1', planToken: fresh.planToken });
    expect(done).toMatchObject({ revision: 2, from: 'higgs-tautau-toy 1.0.0', to: 'higgs-tautau-toy 1.0.1', rescored: [{ phaseKey: 'open', enqueued: 1 }] });
    expect(queue.enqueued).toHaveLength(1);
    expect(await getChallenge(as(participant), slug)).toMatchObject({ revision: 2, dataset: { version: '1.0.1' } });
  });

  it('applies the same checks to a definition edited to another version', async () => {
    const current = await getOrganisedChallenge(as(admin), slug);
    const edited = { ...JSON.parse(current.definitionJson), dataset: { id: 'higgs-tautau-toy', version: '2.0.0' } };
    await expect(updateChallengeDefinition(as(admin), { slug, definitionJson: JSON.stringify(edited) })).rejects.toMatchObject({
      code: 'INVALID_CHALLENGE',
      details: { issues: [{ path: 'dataset (test-ids)' }] },
    });
  });
});

describe('switching the dataset version of a tracking challenge', () => {
  const trackSlug = 'switch-tracks';
  const trackSizes = { trainEvents: 2, testEvents: 6, meanParticles: 40 };

  async function buildTrackVersion(version: string, seed: number): Promise<void> {
    const relative = path.join('datasets', 'trackml-toy', version);
    await buildTrackmlToyDataset({ outDir: path.join(dataDir, relative), seed, version, createdAt: '2026-01-01T00:00:00.000Z', ...trackSizes });
    await registerDatasetVersion(handle.db, dataDir, relative);
  }

  /** One track per hit: a valid (if poor) assignment of every test hit of the version. */
  function trackPredictions(version: string): Uint8Array {
    const truth = decodeArrowColumns(new Uint8Array(fs.readFileSync(path.join(dataDir, 'datasets', 'trackml-toy', version, 'truth_tracks.arrow'))));
    const eventIds = truth.columns.event_id as ArrayLike<number>;
    const hitIds = truth.columns.hit_id as ArrayLike<number>;
    const lines = ['event_id,hit_id,track_id'];
    for (let row = 0; row < eventIds.length; row++) lines.push(`${eventIds[row]},${hitIds[row]},${row + 1}`);
    return new TextEncoder().encode(`${lines.join('\n')}\n`);
  }

  beforeAll(async () => {
    await createTrackmlToyChallenge(handle, dataDir, { slug: trackSlug }, trackSizes);
    // 1.0.1: the same events rebuilt (same seed, so the same hits); 2.0.0: other events with other hits.
    await buildTrackVersion('1.0.1', 7);
    await buildTrackVersion('2.0.0', 8);
  }, 180_000);

  it('compares the test hits, and with entries refuses a version whose hits differ, naming hits that differ', async () => {
    const before = await planDatasetSwitch(as(admin), { slug: trackSlug, version: '2.0.0' });
    expect(before.problems).toEqual([]);
    expect(before.notes.join(' ')).toMatch(/The test ids differ \(the test set has [\d,]+ hits instead of [\d,]+.*\); there are no entries yet, so nothing breaks\./);

    const created = await createSubmission(as(participant), { challengeSlug: trackSlug, fileName: 'tracks.csv', body: trackPredictions('1.0.0') });
    expect(await scoreSubmission({ db: handle.db, dataDir }, created.id)).toEqual({ status: 'scored' });
    const plan = await planDatasetSwitch(as(admin), { slug: trackSlug, version: '2.0.0' });
    expect(plan.problems.map((p) => p.aspect)).toEqual(['test-ids']);
    expect(plan.problems[0]?.message).toMatch(/^in trackml-toy 2\.0\.0, the test set has [\d,]+ hits instead of [\d,]+, (lacks|adds) hit \d+ of event \d+/);
    expect(plan.problems[0]?.message).toMatch(/: the 1 stored entry covers the current ids and would fail when rescored$/);
    await expect(attachDatasetVersion(as(admin), { slug: trackSlug, version: '2.0.0' })).rejects.toMatchObject({ code: 'INVALID_CHALLENGE' });

    const same = await planDatasetSwitch(as(admin), { slug: trackSlug, version: '1.0.1' });
    expect(same.problems).toEqual([]);
    expect(same.notes).toContain('The test ids are the same, so every stored entry can be rescored against the new truth.');
    expect(same).toMatchObject({ totalToRescore: 1 });
  });
});
