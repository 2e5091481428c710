import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import higgsSignalStrengthToy from '@/challenges/higgs-signal-strength-toy/challenge';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { auditEvents, datasets } from '@/db/schema';
import type { ServiceContext, SessionUser } from '@/lib/server/context';
import { grantDataset } from '@/lib/server/datasets/grant-dataset';
import { listDatasetVersions } from '@/lib/server/datasets/list-dataset-versions';
import { setDatasetOwner } from '@/lib/server/datasets/set-dataset-owner';
import { attachDatasetVersion } from '@/lib/server/organiser/attach-dataset-version';
import { closePhase } from '@/lib/server/organiser/close-phase';
import { createChallengeFromDefinition } from '@/lib/server/organiser/create-challenge-from-definition';
import { publishChallenge } from '@/lib/server/organiser/publish-challenge';
import { rescanDatasetVersions } from '@/lib/server/organiser/rescan-dataset-versions';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { getSubmissionDetail } from '@/lib/server/submissions/get-submission-detail';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { buildHiggsSignalStrengthToyDataset } from '@/lib/pipeline/toy/higgs-signal-strength-toy';
import type { IntervalScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

/**
 * The audit's first finding: organiser B built a challenge on organiser A's dataset, closed B's own phase and read
 * every true μ of A's still-open challenge from B's submission page. Guarantee: no one, organisers included, learns
 * anything derived from a hidden truth while any phase scored on it is open, and only the dataset's owner (or whom
 * the owner or an admin grants it to) may attach it at all.
 */
let handle: DatabaseHandle;
let dataDir: string;
let alice: SessionUser;
let bob: SessionUser;
let admin: SessionUser;
let pat: SessionUser;
let clock = new Date('2026-03-01T12:00:00Z');
const as = (user: SessionUser): ServiceContext => makeContext(handle, dataDir, user, makeRecordingQueue(), () => clock);
const sizes = { trainEvents: 400, sourceEvents: 600, sets: 10, experimentsPerSet: 2 };
const peCount = sizes.sets * sizes.experimentsPerSet;

function definitionOn(slug: string, dataset: { id: string; version: string }): ChallengeDefinition {
  return {
    ...higgsSignalStrengthToy,
    slug,
    title: `Signal strength ${slug}`,
    dataset,
    phases: [{ key: 'main', title: 'Main phase', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 20, maxTotal: null }],
  };
}

async function createAndPublish(by: SessionUser, definition: ChallengeDefinition): Promise<void> {
  await createChallengeFromDefinition(as(by), { definitionJson: JSON.stringify(definition) });
  await publishChallenge(as(by), { slug: definition.slug });
}

/** Any intervals: the attack needs no skill, only the page that shows the truth. */
function intervalsCsv(): Uint8Array {
  const rows = Array.from({ length: peCount }, (_, pe) => `${pe},1,0.5,0.5,1.5`);
  return new TextEncoder().encode(['pe_id,mu_hat,delta_mu_hat,p16,p84', ...rows].join('\n') + '\n');
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  alice = await createTestUser(handle, 'organiser', 'Alice (owner)');
  bob = await createTestUser(handle, 'organiser', 'Bob (other organiser)');
  admin = await createTestUser(handle, 'admin', 'Ada Admin');
  pat = await createTestUser(handle, 'participant', 'Pat Participant');
  // Alice builds the dataset and registers it with a rescan: it is hers.
  await buildHiggsSignalStrengthToyDataset({ outDir: path.join(dataDir, 'datasets', 'higgs-signal-strength-toy', '1.0.0'), seed: 7, createdAt: '2026-01-01T00:00:00.000Z', ...sizes });
  await rescanDatasetVersions(as(alice));
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('who may attach a dataset', () => {
  const dataset = { id: 'higgs-signal-strength-toy', version: '1.0.0' };

  it('gives a dataset registered by an organiser\'s rescan to that organiser, and lists it only to those who may attach it', async () => {
    const [row] = await handle.db.select().from(datasets).where(eq(datasets.id, dataset.id));
    expect(row?.ownerId).toBe(alice.id);
    expect((await listDatasetVersions(as(alice))).map((v) => v.dataset)).toContain(dataset.id);
    expect((await listDatasetVersions(as(admin))).map((v) => v.dataset)).toContain(dataset.id);
    expect((await listDatasetVersions(as(bob))).map((v) => v.dataset)).not.toContain(dataset.id);
  });

  it('refuses another organiser\'s challenge on the dataset until the owner grants it, and again once the grant is revoked', async () => {
    await expect(createAndPublish(bob, definitionOn('bob-early', dataset))).rejects.toMatchObject({ code: 'FORBIDDEN', details: { issues: [{ path: 'dataset.id' }] } });
    // A stranger cannot grant it to himself; a participant cannot either.
    await expect(grantDataset(as(bob), { dataset: dataset.id, email: bob.email })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(grantDataset(as(pat), { dataset: dataset.id, email: pat.email })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const granted = await grantDataset(as(alice), { dataset: dataset.id, email: bob.email });
    expect(granted).toMatchObject({ isGranted: true, changed: true });
    await createAndPublish(bob, definitionOn('bob-granted', dataset));

    await grantDataset(as(alice), { dataset: dataset.id, email: bob.email, isGranted: false });
    await expect(createAndPublish(bob, definitionOn('bob-revoked', dataset))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const actions = await handle.db.select({ action: auditEvents.action, actorId: auditEvents.actorId }).from(auditEvents).where(eq(auditEvents.target, `dataset:${dataset.id}`));
    expect(actions).toEqual(
      expect.arrayContaining([
        { action: 'dataset.grant', actorId: alice.id },
        { action: 'dataset.revoke-grant', actorId: alice.id },
      ]),
    );
  });

  it('lets an admin attach any dataset, and refuses switching a challenge to a dataset its organiser may not use', async () => {
    await createAndPublish(admin, definitionOn('admin-made', dataset));
    // Bob's own dataset (another seed, renamed): he may not switch his challenge onto Alice's data (revoked above).
    const bobsFolder = path.join(dataDir, 'datasets', 'bobs-toy', '1.0.0');
    await buildHiggsSignalStrengthToyDataset({ outDir: bobsFolder, seed: 9, createdAt: '2026-01-01T00:00:00.000Z', ...sizes });
    const manifest = JSON.parse(fs.readFileSync(path.join(bobsFolder, 'manifest.json'), 'utf8')) as { dataset: string };
    manifest.dataset = 'bobs-toy';
    fs.writeFileSync(path.join(bobsFolder, 'manifest.json'), JSON.stringify(manifest));
    await rescanDatasetVersions(as(bob));
    await createAndPublish(bob, definitionOn('bob-own', { id: 'bobs-toy', version: '1.0.0' }));
    await expect(attachDatasetVersion(as(bob), { slug: 'bob-own', dataset: dataset.id, version: dataset.version })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});

describe('truth revealed only when every phase scored on it has closed', () => {
  it('keeps true μ and private scores from the organiser of a second challenge on the same truth after his phase closed, and shows them once the last one closes', async () => {
    const dataset = { id: 'higgs-signal-strength-toy', version: '1.0.0' };
    await grantDataset(as(alice), { dataset: dataset.id, email: bob.email });
    await createAndPublish(alice, definitionOn('alice-main', dataset));
    await createAndPublish(bob, definitionOn('bob-probe', dataset));

    const submission = await createSubmission(as(bob), { challengeSlug: 'bob-probe', fileName: 'probe.csv', body: intervalsCsv() });
    await scoreSubmission({ db: handle.db, dataDir }, submission.id);
    await closePhase(as(bob), { slug: 'bob-probe', phaseKey: 'main' });
    clock = new Date(clock.getTime() + 60_000);

    for (const viewer of [bob, admin]) {
      const detail = await getSubmissionDetail(as(viewer), submission.id);
      expect([detail.status, detail.error]).toEqual(['scored', null]);
      expect(detail.phaseState).toBe('closed');
      expect(detail.isPrivateRevealed).toBe(false);
      expect(detail.privateScores).toBeNull();
      expect(Object.keys(detail.scores)).toEqual(['public']);
      const shown = detail.details.public?.nominal as IntervalScoreDetail;
      expect(shown.pe.muTrue).toBeNull();
    }
    const mine = (await listMySubmissions(as(bob))).find((s) => s.id === submission.id);
    expect(mine?.privateScores).toBeNull();

    // Every other challenge on this truth closes: now it may be shown, to the organiser and the submitter alike.
    for (const slug of ['alice-main', 'bob-granted', 'admin-made']) {
      const owner = slug.startsWith('alice') ? alice : slug.startsWith('bob') ? bob : admin;
      await closePhase(as(owner), { slug, phaseKey: 'main' });
    }
    clock = new Date(clock.getTime() + 60_000);
    const detail = await getSubmissionDetail(as(bob), submission.id);
    expect(detail.isPrivateRevealed).toBe(true);
    expect(detail.privateScores).not.toBeNull();
    const revealed = detail.details.public?.nominal as IntervalScoreDetail;
    expect(revealed.pe.muTrue?.length).toBeGreaterThan(0);
  });

  it('treats another dataset version holding the same truth file as the same truth', async () => {
    // An exact copy registered as version 1.0.1: same server-only files (same sha256), so the same hidden truth.
    const from = path.join(dataDir, 'datasets', 'higgs-signal-strength-toy', '1.0.0');
    const to = path.join(dataDir, 'datasets', 'higgs-signal-strength-toy', '1.0.1');
    fs.cpSync(from, to, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(to, 'manifest.json'), 'utf8')) as { version: string };
    manifest.version = '1.0.1';
    fs.writeFileSync(path.join(to, 'manifest.json'), JSON.stringify(manifest));
    await rescanDatasetVersions(as(alice));

    const copy = { id: 'higgs-signal-strength-toy', version: '1.0.1' };
    await createAndPublish(alice, definitionOn('alice-copy', copy));
    await createAndPublish(bob, definitionOn('bob-on-original', { id: 'higgs-signal-strength-toy', version: '1.0.0' }));
    const submission = await createSubmission(as(bob), { challengeSlug: 'bob-on-original', fileName: 'probe2.csv', body: intervalsCsv() });
    await scoreSubmission({ db: handle.db, dataDir }, submission.id);
    await closePhase(as(bob), { slug: 'bob-on-original', phaseKey: 'main' });
    clock = new Date(clock.getTime() + 60_000);
    const detail = await getSubmissionDetail(as(bob), submission.id);
    expect(detail.isPrivateRevealed).toBe(false);
    expect((detail.details.public?.nominal as IntervalScoreDetail).pe.muTrue).toBeNull();
    const [grant] = await handle.db.select().from(datasets).where(and(eq(datasets.id, copy.id)));
    expect(grant?.ownerId).toBe(alice.id);
  });
});

it('keeps the owner when the dataset is registered again, and lets an admin give it to someone else', async () => {
  expect(await setDatasetOwner(handle.db, 'higgs-signal-strength-toy', bob.id, { onlyIfUnowned: true })).toBe(false);
  expect(await setDatasetOwner(handle.db, 'higgs-signal-strength-toy', bob.id)).toBe(true);
  const [row] = await handle.db.select().from(datasets).where(eq(datasets.id, 'higgs-signal-strength-toy'));
  expect(row?.ownerId).toBe(bob.id);
});
