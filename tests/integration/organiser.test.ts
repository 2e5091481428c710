import fs from 'node:fs';
import path from 'node:path';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import higgsTautauToy from '@/challenges/higgs-tautau-toy/challenge';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { auditEvents, challenges, downloadEvents, phases, scores, submissions, type SubmissionStatus } from '@/db/schema';
import { buildHiggsTautauToyDataset } from '@/lib/pipeline/toy/higgs-tautau-toy';
import { listAuditEvents } from '@/lib/server/audit/list-audit-events';
import { getChallenge } from '@/lib/server/challenges/get-challenge';
import { getChallengeOrThrow } from '@/lib/server/challenges/get-challenge-or-throw';
import { listChallenges } from '@/lib/server/challenges/list-challenges';
import { syncChallengeDefinition } from '@/lib/server/challenges/sync-challenge-definition';
import type { ServiceContext, SessionUser } from '@/lib/server/context';
import { grantDataset } from '@/lib/server/datasets/grant-dataset';
import { listDatasetVersions } from '@/lib/server/datasets/list-dataset-versions';
import { setDatasetOwner } from '@/lib/server/datasets/set-dataset-owner';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import { attachDatasetVersion } from '@/lib/server/organiser/attach-dataset-version';
import { closePhase } from '@/lib/server/organiser/close-phase';
import { createChallengeFromDefinition } from '@/lib/server/organiser/create-challenge-from-definition';
import { createChallengeFromForm } from '@/lib/server/organiser/create-challenge-from-form';
import { getDownloadCounts } from '@/lib/server/organiser/get-download-counts';
import { getOrganisedChallenge } from '@/lib/server/organiser/get-organised-challenge';
import { listChallengeSubmissions } from '@/lib/server/organiser/list-challenge-submissions';
import { listOrganisedChallenges } from '@/lib/server/organiser/list-organised-challenges';
import { openPhase } from '@/lib/server/organiser/open-phase';
import { publishChallenge } from '@/lib/server/organiser/publish-challenge';
import { rescanDatasetVersions } from '@/lib/server/organiser/rescan-dataset-versions';
import { rescorePhase } from '@/lib/server/organiser/rescore-phase';
import { updateChallengeDefinition } from '@/lib/server/organiser/update-challenge-definition';
import { updatePhaseLimits } from '@/lib/server/organiser/update-phase-limits';
import { currentScoringVersion } from '@/lib/server/scoring/scoring-version';
import { seedDemoAccounts } from '@/lib/server/seed/seed-demo-accounts';
import { AppError } from '@/lib/shared/app-error';
import { createTestUser, createToyChallenge, createToyDatasetVersion, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let admin: SessionUser;
let owner: SessionUser;
let otherOrganiser: SessionUser;
let participant: SessionUser;
/** The platform clock of every context below; tests move it. */
let clock = new Date('2026-03-01T12:00:00Z');
let slugCounter = 0;

const as = (user: SessionUser | null, queue = makeRecordingQueue()): ServiceContext & { queue: ReturnType<typeof makeRecordingQueue> } =>
  ({ ...makeContext(handle, dataDir, user, queue, () => clock), queue });

/** A valid definition on the registered toy dataset, under a fresh slug. */
function toyDefinition(overrides: Partial<ChallengeDefinition> = {}): ChallengeDefinition {
  slugCounter += 1;
  return {
    ...higgsTautauToy,
    slug: `organiser-test-${slugCounter}`,
    title: `Organiser test ${slugCounter}`,
    phases: [
      { key: 'open', title: 'Open phase', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 5, maxTotal: null },
      { key: 'final', title: 'Final phase', opensAt: '2026-06-01T00:00:00Z', closesAt: '2026-07-01T00:00:00Z', maxPerDay: 2, maxTotal: 10 },
    ],
    ...overrides,
  };
}

async function createPublished(by: SessionUser, overrides: Partial<ChallengeDefinition> = {}): Promise<ChallengeDefinition> {
  const definition = toyDefinition(overrides);
  await createChallengeFromDefinition(as(by), { definitionJson: JSON.stringify(definition) });
  await publishChallenge(as(by), { slug: definition.slug });
  return definition;
}

/** Rows as the scoring pipeline leaves them; the upload path has its own suite. */
async function insertSubmission(
  slug: string,
  phaseKey: string,
  user: SessionUser,
  fields: { status?: SubmissionStatus; source?: 'upload' | 'api' | 'browser-baseline'; primaryPublic?: number; fileName?: string } = {},
): Promise<string> {
  const loaded = await getChallengeOrThrow(handle.db, slug);
  const phase = loaded.phases.find((p) => p.key === phaseKey);
  if (!phase) throw new Error(`no phase ${phaseKey}`);
  const status = fields.status ?? 'scored';
  const version = currentScoringVersion(loaded.challenge.revision);
  const [row] = await handle.db
    .insert(submissions)
    .values({
      challengeId: loaded.challenge.id,
      phaseId: phase.id,
      userId: user.id,
      fileName: fields.fileName ?? 'predictions.csv',
      sha256: 'a'.repeat(64),
      sizeBytes: 100,
      rows: 10,
      status,
      source: fields.source ?? 'upload',
      error: status === 'failed' ? 'row 3: score is not a number' : null,
      scoredVersion: status === 'scored' ? version : null,
      challengeRevision: loaded.challenge.revision,
      createdAt: new Date(clock.getTime() - 60_000 + slugCounter++),
    })
    .returning({ id: submissions.id });
  if (!row) throw new Error('insert failed');
  if (status === 'scored' && fields.primaryPublic !== undefined) {
    await handle.db.insert(scores).values({ submissionId: row.id, split: 'public', metric: 'ams_best', value: fields.primaryPublic, scoringVersion: version });
  }
  return row.id;
}

async function auditActions(slug: string): Promise<string[]> {
  return (await listAuditEvents(as(admin), slug)).map((e) => e.action).sort();
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'OK';
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  await createToyChallenge(handle, dataDir, {}, { trainEvents: 400, testEvents: 300 });
  admin = await createTestUser(handle, 'admin', 'Ada Admin');
  owner = await createTestUser(handle, 'organiser', 'Olive Owner');
  otherOrganiser = await createTestUser(handle, 'organiser', 'Oscar Other');
  participant = await createTestUser(handle, 'participant', 'Pat Participant');
  // The toy dataset is Olive's; she lets Oscar use it too (hidden-truth.test.ts covers who may attach what).
  await setDatasetOwner(handle.db, higgsTautauToy.dataset.id, owner.id);
  await grantDataset(as(owner), { dataset: higgsTautauToy.dataset.id, email: otherOrganiser.email });
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('drafts', () => {
  it('creates an uploaded definition as a draft that only its organiser and admins see until it is published', async () => {
    const definition = toyDefinition();
    const created = await createChallengeFromDefinition(as(owner), { definitionJson: JSON.stringify(definition) });
    expect(created).toMatchObject({ slug: definition.slug, isDraft: true, revision: 1 });

    const visibleSlugs = async (user: SessionUser | null) => (await listChallenges(as(user))).map((c) => c.slug);
    expect(await visibleSlugs(null)).not.toContain(definition.slug);
    expect(await visibleSlugs(participant)).not.toContain(definition.slug);
    expect(await visibleSlugs(otherOrganiser)).not.toContain(definition.slug);
    expect(await visibleSlugs(admin)).toContain(definition.slug);
    expect((await listChallenges(as(owner))).find((c) => c.slug === definition.slug)).toMatchObject({ isDraft: true, canOrganise: true });
    for (const user of [null, participant, otherOrganiser]) {
      await expect(getChallenge(as(user), definition.slug)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    expect(await getChallenge(as(owner), definition.slug)).toMatchObject({ isDraft: true, canOrganise: true });
    expect((await listOrganisedChallenges(as(owner))).map((c) => c.slug)).toContain(definition.slug);
    expect((await listOrganisedChallenges(as(otherOrganiser))).map((c) => c.slug)).not.toContain(definition.slug);

    await publishChallenge(as(owner), { slug: definition.slug });
    expect(await visibleSlugs(participant)).toContain(definition.slug);
    expect(await getChallenge(as(null), definition.slug)).toMatchObject({ isDraft: false, canOrganise: false });
    await expect(publishChallenge(as(owner), { slug: definition.slug })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await auditActions(definition.slug)).toEqual(['challenge.create', 'challenge.publish']);
  });

  it('syncs built-ins published and owned, and keeps organisers\' phase changes at restart unless the file\'s revision is higher', async () => {
    const accounts = await seedDemoAccounts(handle.db);
    const demoOrganiser = accounts.find((a) => a.role === 'organiser');
    expect(demoOrganiser?.id).toMatch(/^[0-9a-f-]{36}$/);
    const definition = toyDefinition();
    await syncChallengeDefinition(handle.db, definition, { createdBy: demoOrganiser?.id, publish: true, keepOrganiserEdits: true });
    const organiser = { id: demoOrganiser?.id ?? '', email: demoOrganiser?.email ?? '', name: 'Demo Organiser', role: 'organiser' as const };
    expect(await getChallenge(as(null), definition.slug)).toMatchObject({ isDraft: false });
    await closePhase(as(organiser), { slug: definition.slug, phaseKey: 'open' });

    const restart = await syncChallengeDefinition(handle.db, { ...definition, summary: 'New wording' }, { createdBy: demoOrganiser?.id, keepOrganiserEdits: true });
    expect(restart.outcome).toBe('kept-organiser-edits');
    const kept = await getChallenge(as(null), definition.slug);
    expect(kept.phases.find((p) => p.key === 'open')?.state).toBe('closed');
    expect(kept.summary).toBe('New wording');

    const newer = await syncChallengeDefinition(handle.db, { ...definition, revision: 2 }, { keepOrganiserEdits: true });
    expect(newer.outcome).toBe('updated');
    expect((await getChallenge(as(null), definition.slug)).phases.find((p) => p.key === 'open')?.state).toBe('open');
    expect((await getOrganisedChallenge(as(organiser), definition.slug)).ownerName).toBe('Demo Organiser');
  });
});

describe('definition errors', () => {
  async function problemsOf(definitionJson: string): Promise<AppError> {
    const error = await createChallengeFromDefinition(as(owner), { definitionJson }).catch((e: unknown) => e);
    if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
    return error;
  }

  it('names every problem of a broken definition by its path, and creates nothing', async () => {
    const [before] = await handle.db.select({ n: count() }).from(challenges);
    const broken = toyDefinition({
      metrics: [
        { id: 'ams_best', primary: true, precision: 4 },
        { id: 'auc', primary: true, precision: 4 },
      ],
    });
    const phasesBroken = toyDefinition({ phases: [{ key: 'open', title: 'Open', opensAt: '2026-05-01T00:00:00Z', closesAt: '2026-04-01T00:00:00Z', maxPerDay: 3, maxTotal: null }] });

    const twoPrimaries = await problemsOf(JSON.stringify(broken));
    expect(twoPrimaries.code).toBe('INVALID_CHALLENGE');
    expect(twoPrimaries.message).toContain('metrics: exactly one metric must be marked primary');

    const badDates = await problemsOf(JSON.stringify(phasesBroken));
    expect(badDates.message).toContain('phases.0.closesAt: closesAt must be after opensAt');
    expect(badDates.details.issues).toEqual([{ path: 'phases.0.closesAt', message: 'closesAt must be after opensAt' }]);

    const { title: _title, ...untitled } = toyDefinition();
    const typo = { ...untitled, phases: [{ key: 'open', title: 'Open', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDy: 3 }], metrics: [{ id: 'nope', primary: true }] };
    const several = await problemsOf(JSON.stringify(typo));
    expect(several.message).toMatch(/^The challenge definition has 3 problems: /);
    expect(several.message).toContain('title: is required');
    expect(several.message).toContain('metrics.0.id: unknown metric id "nope"');
    expect(several.message).toContain('phases.0.maxPerDay: is required (number); found "maxPerDy"');

    const misspeltOptional = { ...toyDefinition(), metrics: [{ id: 'ams_best', primary: true, precison: 3 }] };
    expect((await problemsOf(JSON.stringify(misspeltOptional))).message).toContain('metrics.0.precison: unknown field; did you mean "precision"?');

    const missingVersion = toyDefinition({ dataset: { id: 'higgs-tautau-toy', version: '9.9.9' } });
    const notRegistered = await problemsOf(JSON.stringify(missingVersion));
    expect(notRegistered.message).toContain('dataset.version: higgs-tautau-toy version 9.9.9 is not registered (registered: 1.0.0');

    const notJson = await problemsOf('{\n  "slug": "x",\n  "title": \n}');
    expect(notJson.code).toBe('INVALID_CHALLENGE');
    expect(notJson.message).toMatch(/not valid JSON at line 4, column 1/);

    expect((await problemsOf(JSON.stringify({ ...toyDefinition(), slug: higgsTautauToy.slug }))).code).toBe('CONFLICT');
    const [after] = await handle.db.select({ n: count() }).from(challenges);
    expect(after?.n).toBe(before?.n);
  });

  it('builds the same definition from the form, with generated pages, and reports form errors under the definition paths', async () => {
    const phase = { key: 'main', title: 'Main', opensAt: '2026-02-01T00:00', closesAt: '', maxPerDay: '4', maxTotal: '' };
    const fields = {
      title: 'Form-made challenge',
      slug: 'form-made',
      summary: 'Made with the web form.',
      task: 'binary-classification',
      datasetVersion: 'higgs-tautau-toy@1.0.0',
      metrics: ['auc', 'ams_best'],
      primaryMetric: 'auc',
      publicFraction: '0.25',
      seed: '',
      phases: [phase],
      pages: { overview: '', evaluation: '', data: '', terms: 'Be nice.' },
    };
    const wrong = { ...fields, phases: [{ ...phase, closesAt: '2026-01-01T00:00', maxPerDay: 'many' }], publicFraction: '' };
    const error = await createChallengeFromForm(as(owner), wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    // The phase's date check runs once its fields are well-formed, like for an uploaded file.
    const paths = ((error as AppError).details.issues as Array<{ path: string }>).map((i) => i.path);
    expect(paths.sort()).toEqual(['phases.0.maxPerDay', 'splits.publicFraction']);
    const datesOnly = { ...fields, slug: 'form-dates', phases: [{ ...phase, closesAt: '2026-01-01T00:00' }] };
    await expect(createChallengeFromForm(as(owner), datesOnly)).rejects.toMatchObject({ details: { issues: [{ path: 'phases.0.closesAt', message: 'closesAt must be after opensAt' }] } });

    expect(await createChallengeFromForm(as(owner), fields)).toMatchObject({ slug: 'form-made', isDraft: true });
    const stored = JSON.parse((await getOrganisedChallenge(as(owner), 'form-made')).definitionJson) as ChallengeDefinition;
    expect(stored.metrics).toEqual([
      { id: 'auc', primary: true, precision: 4 },
      { id: 'ams_best', primary: false, precision: 4 },
    ]);
    expect(stored.splits.publicFraction).toBe(0.25);
    expect(Number.isInteger(stored.splits.seed)).toBe(true);
    expect(stored.phases).toEqual([{ key: 'main', title: 'Main', opensAt: '2026-02-01T00:00:00Z', closesAt: null, maxPerDay: 4, maxTotal: null }]);
    expect(stored.pages.terms).toBe('Be nice.');
    expect(stored.pages.evaluation).toContain('ROC AUC');
    expect(stored.pages.data).toContain('test.csv');
    expect(await auditActions('form-made')).toEqual(['challenge.create']);
  });
});

describe('authorisation', () => {
  it('refuses participants, organisers of other challenges and anonymous users every organiser service, and records nothing', async () => {
    const definition = await createPublished(owner);
    const slug = definition.slug;
    const [eventsBefore] = await handle.db.select({ n: count() }).from(auditEvents);
    const calls: Array<[string, (ctx: ServiceContext) => Promise<unknown>]> = [
      ['publishChallenge', (ctx) => publishChallenge(ctx, { slug })],
      ['updateChallengeDefinition', (ctx) => updateChallengeDefinition(ctx, { slug, definitionJson: JSON.stringify(definition) })],
      ['attachDatasetVersion', (ctx) => attachDatasetVersion(ctx, { slug, version: '1.0.0' })],
      ['openPhase', (ctx) => openPhase(ctx, { slug, phaseKey: 'final' })],
      ['closePhase', (ctx) => closePhase(ctx, { slug, phaseKey: 'open' })],
      ['updatePhaseLimits', (ctx) => updatePhaseLimits(ctx, { slug, phaseKey: 'open', maxPerDay: 100, maxTotal: null })],
      ['listChallengeSubmissions', (ctx) => listChallengeSubmissions(ctx, { slug })],
      ['rescorePhase', (ctx) => rescorePhase(ctx, { slug, phaseKey: 'open' })],
      ['getDownloadCounts', (ctx) => getDownloadCounts(ctx, slug)],
      ['listAuditEvents', (ctx) => listAuditEvents(ctx, slug)],
      ['getOrganisedChallenge', (ctx) => getOrganisedChallenge(ctx, slug)],
    ];
    const creators: Array<[string, (ctx: ServiceContext) => Promise<unknown>]> = [
      ['createChallengeFromDefinition', (ctx) => createChallengeFromDefinition(ctx, { definitionJson: JSON.stringify(toyDefinition()) })],
      ['createChallengeFromForm', (ctx) => createChallengeFromForm(ctx, { title: 't', slug: 'never-made', summary: 's', task: 'binary-classification', datasetVersion: 'higgs-tautau-toy@1.0.0', metrics: ['auc'], primaryMetric: 'auc', publicFraction: 0.3, phases: [{ key: 'p', title: 'P', opensAt: '2026-01-01T00:00', maxPerDay: 1 }] })],
      ['listOrganisedChallenges', (ctx) => listOrganisedChallenges(ctx)],
      ['listDatasetVersions', (ctx) => listDatasetVersions(ctx)],
      ['rescanDatasetVersions', (ctx) => rescanDatasetVersions(ctx)],
    ];
    const outcomes: Record<string, string[]> = {};
    for (const [name, call] of calls) outcomes[name] = [await codeOf(call(as(participant))), await codeOf(call(as(otherOrganiser))), await codeOf(call(as(null)))];
    for (const [name, call] of creators) outcomes[name] = [await codeOf(call(as(participant))), await codeOf(call(as(null)))];
    expect(outcomes).toEqual({
      ...Object.fromEntries(calls.map(([name]) => [name, ['FORBIDDEN', 'FORBIDDEN', 'UNAUTHENTICATED']])),
      ...Object.fromEntries(creators.map(([name]) => [name, ['FORBIDDEN', 'UNAUTHENTICATED']])),
    });
    const [eventsAfter] = await handle.db.select({ n: count() }).from(auditEvents);
    expect(eventsAfter?.n).toBe(eventsBefore?.n);
    // Admins organise every challenge.
    expect((await getOrganisedChallenge(as(admin), slug)).slug).toBe(slug);
  });

  it('answers NOT_FOUND, not FORBIDDEN, about someone else\'s draft', async () => {
    const draft = toyDefinition();
    await createChallengeFromDefinition(as(owner), { definitionJson: JSON.stringify(draft) });
    await expect(getOrganisedChallenge(as(otherOrganiser), draft.slug)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(closePhase(as(participant), { slug: draft.slug, phaseKey: 'open' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('phases', () => {
  it('closing a phase reveals its private board once every phase scored on its truth has closed; reopening clears the closing time', async () => {
    const { slug } = await createPublished(owner);
    const state = async () => (await getChallenge(as(participant), slug)).phases.find((p) => p.key === 'open')?.state;
    expect(await state()).toBe('open');
    await expect(getLeaderboard(as(participant), { challengeSlug: slug, phaseKey: 'open', split: 'private' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const closed = await closePhase(as(owner), { slug, phaseKey: 'open' });
    expect(closed).toMatchObject({ state: 'closed', closesAt: clock.toISOString() });
    expect(await state()).toBe('closed');
    // Its "final" phase, and other challenges, are scored on the same truth and have not closed: still hidden.
    await expect(getLeaderboard(as(participant), { challengeSlug: slug, phaseKey: 'open', split: 'private' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('every phase scored on the same hidden test set'),
    });
    // On a truth of its own, one phase: the private board is public the moment the phase closes.
    const own = await createToyDatasetVersion(handle, dataDir, 'own-truth', 11);
    const alone = await createPublished(owner, {
      dataset: own,
      phases: [{ key: 'open', title: 'Open phase', opensAt: '2026-01-01T00:00:00Z', closesAt: null, maxPerDay: 5, maxTotal: null }],
    });
    await closePhase(as(owner), { slug: alone.slug, phaseKey: 'open' });
    const board = await getLeaderboard(as(participant), { challengeSlug: alone.slug, phaseKey: 'open', split: 'private' });
    expect(board.isPrivateRevealed).toBe(true);
    const stored = JSON.parse((await getOrganisedChallenge(as(owner), slug)).definitionJson) as ChallengeDefinition;
    expect(stored.phases[0]?.closesAt).toBe(clock.toISOString());
    await expect(closePhase(as(owner), { slug, phaseKey: 'open' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(closePhase(as(owner), { slug, phaseKey: 'final' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('has not opened yet') });

    clock = new Date(clock.getTime() + 3_600_000);
    const reopened = await openPhase(as(owner), { slug, phaseKey: 'open' });
    expect(reopened).toMatchObject({ state: 'open', closesAt: null });
    await expect(openPhase(as(owner), { slug, phaseKey: 'final' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('close it before opening') });
    await closePhase(as(owner), { slug, phaseKey: 'open' });
    const opened = await openPhase(as(owner), { slug, phaseKey: 'final' });
    expect(opened).toMatchObject({ state: 'open', opensAt: clock.toISOString(), closesAt: '2026-07-01T00:00:00.000Z' });

    const limits = await updatePhaseLimits(as(owner), { slug, phaseKey: 'final', maxPerDay: '7', maxTotal: '' });
    expect(limits).toMatchObject({ maxPerDay: 7, maxTotal: null });
    await expect(updatePhaseLimits(as(owner), { slug, phaseKey: 'final', maxPerDay: 0, maxTotal: null })).rejects.toThrow(/at least 1/);
    await expect(openPhase(as(owner), { slug, phaseKey: 'nope' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('"open", "final"') });
    expect(await auditActions(slug)).toEqual(['challenge.create', 'challenge.publish', 'phase.close', 'phase.close', 'phase.limits', 'phase.open', 'phase.open']);
  });
});

describe('submissions, rescoring and downloads', () => {
  it('rescore enqueues exactly the scored and failed submissions of the phase and records how many', async () => {
    const { slug } = await createPublished(owner);
    const other = await createPublished(otherOrganiser);
    const scored = await insertSubmission(slug, 'open', participant, { status: 'scored' });
    const failed = await insertSubmission(slug, 'open', participant, { status: 'failed' });
    await insertSubmission(slug, 'open', participant, { status: 'queued' });
    await insertSubmission(slug, 'open', participant, { status: 'scoring' });
    await insertSubmission(slug, 'final', participant, { status: 'scored' });
    await insertSubmission(other.slug, 'open', participant, { status: 'scored' });

    const ctx = as(owner);
    const result = await rescorePhase(ctx, { slug, phaseKey: 'open' });
    expect(result).toEqual({ phaseKey: 'open', enqueued: 2, scoringVersion: currentScoringVersion(1) });
    expect([...ctx.queue.enqueued].sort()).toEqual([scored, failed].sort());
    const events = await listAuditEvents(as(owner), slug);
    const rescore = events.find((e) => e.action === 'phase.rescore');
    expect(rescore).toMatchObject({ actorName: 'Olive Owner', target: 'phase:open', details: { enqueued: 2, scoringVersion: currentScoringVersion(1) } });
  });

  it('lists every submission of the organiser\'s challenge and no other, with filters and the primary public value', async () => {
    const { slug } = await createPublished(owner);
    const other = await createPublished(otherOrganiser);
    const grace = await createTestUser(handle, 'participant', 'Grace 100%');
    const best = await insertSubmission(slug, 'open', grace, { status: 'scored', primaryPublic: 3.25, source: 'api' });
    const broken = await insertSubmission(slug, 'open', participant, { status: 'failed' });
    const later = await insertSubmission(slug, 'final', participant, { status: 'queued', source: 'browser-baseline' });
    await insertSubmission(other.slug, 'open', participant, { status: 'scored', primaryPublic: 9 });

    const all = await listChallengeSubmissions(as(owner), { slug });
    expect(all.total).toBe(3);
    expect(all.rows.map((r) => r.id).sort()).toEqual([best, broken, later].sort());
    expect(all.rows.find((r) => r.id === best)).toMatchObject({ participantName: 'Grace 100%', status: 'scored', source: 'api', primaryPublicValue: 3.25, phaseKey: 'open' });
    expect(all.rows.find((r) => r.id === broken)).toMatchObject({ status: 'failed', error: 'row 3: score is not a number', primaryPublicValue: null });
    expect(all.primaryMetric.id).toBe('ams_best');

    const ids = async (filters: Record<string, string>) => (await listChallengeSubmissions(as(owner), { slug, ...filters })).rows.map((r) => r.id);
    expect(await ids({ status: 'failed' })).toEqual([broken]);
    expect(await ids({ phaseKey: 'final' })).toEqual([later]);
    expect(await ids({ source: 'browser-baseline' })).toEqual([later]);
    expect(await ids({ participant: 'grace 1' })).toEqual([best]);
    expect(await ids({ participant: '100%' })).toEqual([best]);
    expect(await ids({ participant: participant.email.slice(0, 12).toUpperCase() })).toEqual(expect.arrayContaining([broken, later]));
    expect(await ids({ participant: '%' })).toEqual([best]);
    expect(await ids({ status: '', phaseKey: '', participant: '' })).toHaveLength(3);
    await expect(listChallengeSubmissions(as(owner), { slug, status: 'lost' })).rejects.toThrow(/status is one of/);
  });

  it('counts downloads per file and distinct users, for this challenge only', async () => {
    const { slug } = await createPublished(owner);
    const other = await createPublished(otherOrganiser);
    const loaded = await getChallengeOrThrow(handle.db, slug);
    const otherLoaded = await getChallengeOrThrow(handle.db, other.slug);
    const second = await createTestUser(handle);
    const event = (challengeId: string, fileName: string, userId: string) => ({ datasetVersionId: loaded.datasetVersion.id, challengeId, fileName, userId });
    await handle.db.insert(downloadEvents).values([
      event(loaded.challenge.id, 'test.csv', participant.id),
      event(loaded.challenge.id, 'test.csv', participant.id),
      event(loaded.challenge.id, 'test.csv', second.id),
      event(loaded.challenge.id, 'train.arrow', second.id),
      event(otherLoaded.challenge.id, 'test.csv', second.id),
    ]);
    const counts = await getDownloadCounts(as(owner), slug);
    const byName = Object.fromEntries(counts.map((c) => [c.fileName, [c.downloads, c.distinctUsers]]));
    expect(byName['test.csv']).toEqual([3, 2]);
    expect(byName['train.arrow']).toEqual([1, 1]);
    expect(byName['train.csv']).toEqual([0, 0]);
    expect(byName).not.toHaveProperty('truth.arrow');
    expect(counts.every((c) => c.isCurrentVersion && c.version === '1.0.0')).toBe(true);
  });
});

describe('changing a running challenge', () => {
  it('bumps the revision by itself when the metrics change, not for wording, and never lets it go down', async () => {
    const definition = await createPublished(owner);
    const { slug } = definition;
    const wording = await updateChallengeDefinition(as(owner), { slug, definitionJson: JSON.stringify({ ...definition, summary: 'Clearer summary.' }) });
    expect(wording).toMatchObject({ revision: 1, isRevisionBumped: false });
    expect((await getChallenge(as(participant), slug)).summary).toBe('Clearer summary.');

    const metrics = [...definition.metrics, { id: 'log_loss', primary: false, precision: 4 }];
    const bumped = await updateChallengeDefinition(as(owner), { slug, definitionJson: JSON.stringify({ ...definition, metrics }) });
    expect(bumped).toMatchObject({ revision: 2, isRevisionBumped: true });
    const lower = await updateChallengeDefinition(as(owner), { slug, definitionJson: JSON.stringify({ ...definition, metrics, revision: 1 }) });
    expect(lower.revision).toBe(2);
    expect((await getOrganisedChallenge(as(owner), slug)).scoringVersion).toBe(currentScoringVersion(2));

    await insertSubmission(slug, 'final', participant, { status: 'scored' });
    const withoutFinal = { ...definition, metrics, phases: definition.phases.slice(0, 1) };
    await expect(updateChallengeDefinition(as(owner), { slug, definitionJson: JSON.stringify(withoutFinal) })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('"final" has submissions'),
    });
    await expect(updateChallengeDefinition(as(owner), { slug, definitionJson: JSON.stringify({ ...definition, slug: 'renamed' }) })).rejects.toMatchObject({
      code: 'INVALID_CHALLENGE',
      details: { issues: [{ path: 'slug', message: `must stay "${slug}"` }] },
    });
    const events = await listAuditEvents(as(owner), slug);
    expect(events.filter((e) => e.action === 'challenge.update').map((e) => e.details.changed)).toEqual(expect.arrayContaining([[], ['metrics']]));

    // An edit of a copy loaded before a phase change is refused instead of undoing that change.
    const loadedCopy = await getOrganisedChallenge(as(owner), slug);
    clock = new Date(clock.getTime() + 1000);
    await closePhase(as(owner), { slug, phaseKey: 'open' });
    await expect(
      updateChallengeDefinition(as(owner), { slug, definitionJson: loadedCopy.definitionJson, baseUpdatedAt: loadedCopy.updatedAt }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed after you loaded this copy') });
    const fresh = await getOrganisedChallenge(as(owner), slug);
    expect((JSON.parse(fresh.definitionJson) as ChallengeDefinition).phases[0]?.closesAt).toBe(clock.toISOString());
    await expect(updateChallengeDefinition(as(owner), { slug, definitionJson: fresh.definitionJson, baseUpdatedAt: fresh.updatedAt })).resolves.toMatchObject({ revision: 2 });
  });

  it('registers a new dataset version with a rescan and switches the challenge to it with a new revision', async () => {
    const { slug } = await createPublished(owner);
    await buildHiggsTautauToyDataset({ outDir: path.join(dataDir, 'datasets', 'higgs-tautau-toy', '1.1.0'), seed: 8, trainEvents: 300, testEvents: 200, luminosityFb: 10, version: '1.1.0' });
    await expect(attachDatasetVersion(as(owner), { slug, version: '1.1.0' })).rejects.toMatchObject({
      code: 'INVALID_CHALLENGE',
      message: expect.stringContaining('dataset.version: higgs-tautau-toy version 1.1.0 is not registered'),
    });
    const rescan = await rescanDatasetVersions(as(owner));
    expect(rescan.added).toEqual(['higgs-tautau-toy@1.1.0']);
    const versions = await listDatasetVersions(as(owner));
    expect(versions.find((v) => v.version === '1.1.0')).toMatchObject({ dataset: 'higgs-tautau-toy', isToy: true, tasks: ['binary-classification'] });

    const attached = await attachDatasetVersion(as(owner), { slug, version: '1.1.0' });
    expect(attached).toMatchObject({ revision: 2, isRevisionBumped: true });
    const view = await getChallenge(as(participant), slug);
    expect(view).toMatchObject({ revision: 2, dataset: { version: '1.1.0' } });
    await expect(attachDatasetVersion(as(owner), { slug, version: '1.1.0' })).rejects.toMatchObject({ code: 'CONFLICT' });
    const [rescanEvent] = await handle.db.select().from(auditEvents).where(eq(auditEvents.action, 'datasets.rescan'));
    expect(rescanEvent).toMatchObject({ actorId: owner.id, challengeId: null });
    expect(await auditActions(slug)).toEqual(['challenge.attach-dataset', 'challenge.create', 'challenge.publish']);
  });

  it('leaves one audit event, with its actor, for every organiser action', async () => {
    const definition = await createPublished(owner);
    const { slug } = definition;
    await updatePhaseLimits(as(owner), { slug, phaseKey: 'open', maxPerDay: 9, maxTotal: 50 });
    // Edits start from the stored definition, which carries the limits just changed.
    const current = JSON.parse((await getOrganisedChallenge(as(admin), slug)).definitionJson) as ChallengeDefinition;
    await updateChallengeDefinition(as(admin), { slug, definitionJson: JSON.stringify({ ...current, title: 'Retitled' }) });
    await closePhase(as(owner), { slug, phaseKey: 'open' });
    await openPhase(as(owner), { slug, phaseKey: 'final' });
    await rescorePhase(as(owner), { slug, phaseKey: 'open' });
    const events = await listAuditEvents(as(owner), slug);
    expect(events.map((e) => `${e.action} by ${e.actorName}`).sort()).toEqual([
      'challenge.create by Olive Owner',
      'challenge.publish by Olive Owner',
      'challenge.update by Ada Admin',
      'phase.close by Olive Owner',
      'phase.limits by Olive Owner',
      'phase.open by Olive Owner',
      'phase.rescore by Olive Owner',
    ]);
    expect(events.find((e) => e.action === 'phase.limits')?.details).toEqual({ before: { maxPerDay: 5, maxTotal: null }, after: { maxPerDay: 9, maxTotal: 50 } });
    const [phaseRow] = await handle.db
      .select()
      .from(phases)
      .innerJoin(challenges, eq(challenges.id, phases.challengeId))
      .where(and(eq(phases.key, 'open'), eq(challenges.slug, slug)));
    expect(phaseRow?.phases.maxTotal).toBe(50);
  });
});
