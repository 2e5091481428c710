import crypto from 'node:crypto';
import fs from 'node:fs';
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { challenges, phases, scoreDetails, scores, submissions, teamMembers, teams, type NewScore, type SubmissionStatus } from '@/db/schema';
import type { SessionUser } from '@/lib/server/context';
import { getSubmissionDetail } from '@/lib/server/submissions/get-submission-detail';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { selectFinalSubmissions } from '@/lib/server/submissions/select-final-submissions';
import type { BinaryScoreDetail, IntervalScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;

const closesAt = '2031-01-01T00:00:00.000Z';
const beforeClose = () => new Date('2030-06-01T00:00:00Z');
const afterClose = () => new Date('2031-06-01T00:00:00Z');
const phase = { key: 'main', title: 'Main phase', opensAt: '2020-01-01T00:00:00Z', closesAt, maxPerDay: 5, maxTotal: null };

let owner: SessionUser;
let mate: SessionUser;
let stranger: SessionUser;
let organiser: SessionUser;
let otherOrganiser: SessionUser;

let binary: { challengeId: string; phaseId: string; definition: ChallengeDefinition };
let interval: { challengeId: string; phaseId: string };
let teamId: string;

/** The owner's team entry with scores under two scoring versions ("v1" superseded by "v2"). */
let teamEntry: string;
/** The owner's entry from before the team existed (no team id). */
let soloEntry: string;
/** The owner's interval entry, with true μ in its plot data. */
let intervalEntry: string;
/** A participant outside the team. */
let strangerEntry: string;

const as = (user: SessionUser | null, now = beforeClose) => makeContext(handle, dataDir, user, makeRecordingQueue(), now);

async function createChallenge(overrides: Partial<ChallengeDefinition>, organiserId: string) {
  const definition = await createToyChallenge(handle, dataDir, { phases: [phase], ...overrides }, { trainEvents: 300, testEvents: 300 });
  const [row] = await handle.db.update(challenges).set({ createdBy: organiserId }).where(eq(challenges.slug, definition.slug)).returning();
  if (!row) throw new Error(`challenge ${definition.slug} was not created`);
  const [phaseRow] = await handle.db.select().from(phases).where(eq(phases.challengeId, row.id));
  if (!phaseRow) throw new Error(`challenge ${definition.slug} has no phase`);
  return { challengeId: row.id, phaseId: phaseRow.id, definition };
}

async function insertSubmission(
  where: { challengeId: string; phaseId: string },
  user: SessionUser,
  options: { teamId?: string | null; status?: SubmissionStatus; scoredVersion?: string | null; fileName?: string } = {},
): Promise<string> {
  const status = options.status ?? 'scored';
  const [row] = await handle.db
    .insert(submissions)
    .values({
      challengeId: where.challengeId,
      phaseId: where.phaseId,
      userId: user.id,
      teamId: options.teamId ?? null,
      fileName: options.fileName ?? 'predictions.csv',
      sha256: crypto.randomBytes(32).toString('hex'),
      sizeBytes: 1234,
      rows: 300,
      status,
      scoredVersion: options.scoredVersion === undefined ? (status === 'scored' ? 'v2' : null) : options.scoredVersion,
      challengeRevision: 1,
      finishedAt: status === 'scored' ? new Date('2030-01-02T00:00:00Z') : null,
    })
    .returning({ id: submissions.id });
  if (!row) throw new Error('submission not inserted');
  return row.id;
}

const score = (submissionId: string, scoringVersion: string, split: string, variation: string, metric: string, value: number): NewScore => ({
  submissionId,
  scoringVersion,
  split,
  variation,
  metric,
  value,
  ciLow: value - 0.01,
  ciHigh: value + 0.01,
  replicas: null,
});

const binaryDetail = (auc: number): BinaryScoreDetail => ({
  kind: 'binary',
  roc: { tpr: [0, auc, 1], fpr: [0, 0.1, 1] },
  histogram: { edges: [0, 0.5, 1], signal: [1, 3], background: [3, 1] },
});

const intervalDetail: IntervalScoreDetail = {
  kind: 'interval',
  pe: { peId: [1, 2, 3], muHat: [1, 0.5, 2], p16: [0.8, 0.3, 1.7], p84: [1.2, 0.7, 2.4], muTrue: [1.1, 0.9, 2.2] },
  coverageByMu: { edges: [0.1, 1.55, 3], coverage: [0.5, 1], meanWidth: [0.4, 0.7], count: [2, 1] },
  targetCoverage: 0.6827,
};

const finalIds = async (ids: string[]) =>
  (await handle.db.select({ id: submissions.id, isFinal: submissions.isFinal }).from(submissions).where(inArray(submissions.id, ids)))
    .filter((r) => r.isFinal)
    .map((r) => r.id)
    .sort();

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  [owner, mate, stranger, organiser, otherOrganiser] = await Promise.all([
    createTestUser(handle, 'participant', 'Owner'),
    createTestUser(handle, 'participant', 'Mate'),
    createTestUser(handle, 'participant', 'Stranger'),
    createTestUser(handle, 'organiser', 'Organiser'),
    createTestUser(handle, 'organiser', 'Other organiser'),
  ]);
  binary = await createChallenge(
    {
      slug: 'detail-binary',
      scoring: { bootstrapReplicas: 200, threshold: 0.5, backgroundRelativeUncertainty: 0, variations: [{ name: 'jes_up', group: 'jet', label: 'JES up' }] },
    },
    organiser.id,
  );
  interval = await createChallenge(
    {
      slug: 'detail-interval',
      task: 'interval-estimation',
      metrics: [
        { id: 'quantile_score', primary: true, precision: 4 },
        { id: 'coverage', primary: false, precision: 4 },
      ],
    },
    organiser.id,
  );
  await createChallenge({ slug: 'detail-other' }, otherOrganiser.id);

  soloEntry = await insertSubmission(binary, owner, { fileName: 'before-the-team.csv' });
  const [team] = await handle.db
    .insert(teams)
    .values({ challengeId: binary.challengeId, name: 'Quarks', inviteCode: crypto.randomBytes(8).toString('hex'), createdBy: owner.id })
    .returning();
  if (!team) throw new Error('team not inserted');
  teamId = team.id;
  await handle.db.insert(teamMembers).values([
    { teamId, challengeId: binary.challengeId, userId: owner.id, role: 'owner' },
    { teamId, challengeId: binary.challengeId, userId: mate.id, role: 'member' },
  ]);
  teamEntry = await insertSubmission(binary, owner, { teamId, fileName: 'team.csv' });
  strangerEntry = await insertSubmission(binary, stranger, { fileName: 'stranger.csv' });
  intervalEntry = await insertSubmission(interval, owner, { fileName: 'intervals.csv', scoredVersion: 'v1' });

  await handle.db.insert(scores).values([
    // Superseded by the rescore under v2: never shown.
    score(teamEntry, 'v1', 'public', 'nominal', 'auc', 0.5),
    score(teamEntry, 'v1', 'public', 'nominal', 'log_loss', 0.9),
    score(teamEntry, 'v2', 'public', 'nominal', 'auc', 0.8),
    score(teamEntry, 'v2', 'public', 'nominal', 'ams_best', 2.5),
    score(teamEntry, 'v2', 'public', 'jes_up', 'auc', 0.78),
    score(teamEntry, 'v2', 'public', 'systematics', 'auc', 0.025),
    score(teamEntry, 'v2', 'private', 'nominal', 'auc', 0.79),
    score(teamEntry, 'v2', 'private', 'nominal', 'ams_best', 2.4),
    score(intervalEntry, 'v1', 'public', 'nominal', 'quantile_score', 1.2),
    score(intervalEntry, 'v1', 'private', 'nominal', 'quantile_score', 1.3),
  ]);
  await handle.db.insert(scoreDetails).values([
    { submissionId: teamEntry, scoringVersion: 'v1', split: 'public', variation: 'jes_up', data: binaryDetail(0.3) },
    { submissionId: teamEntry, scoringVersion: 'v2', split: 'public', variation: 'nominal', data: binaryDetail(0.8) },
    { submissionId: teamEntry, scoringVersion: 'v2', split: 'private', variation: 'nominal', data: binaryDetail(0.79) },
    { submissionId: intervalEntry, scoringVersion: 'v1', split: 'public', variation: 'nominal', data: intervalDetail },
    { submissionId: intervalEntry, scoringVersion: 'v1', split: 'private', variation: 'nominal', data: intervalDetail },
  ]);
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('submission detail', () => {
  it('shows a submission to its submitter, a team mate and the organisers of its challenge', async () => {
    for (const viewer of [owner, mate, organiser]) {
      const detail = await getSubmissionDetail(as(viewer), teamEntry);
      expect(detail.id).toBe(teamEntry);
      expect(detail.fileName).toBe('team.csv');
      expect(detail.teamName).toBe('Quarks');
      expect(detail.submitterName).toBe('Owner');
      expect(detail.challengeSlug).toBe('detail-binary');
      expect(detail.phaseTitle).toBe('Main phase');
    }
    // Made before the team existed, but the submitter's team mates see it too.
    await expect(getSubmissionDetail(as(mate), soloEntry)).resolves.toMatchObject({ id: soloEntry, teamName: null });
  });

  it('answers NOT_FOUND to anyone else, exactly as for an id that does not exist', async () => {
    for (const viewer of [null, stranger, otherOrganiser]) {
      await expect(getSubmissionDetail(as(viewer), teamEntry)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    }
    const messageOf = (id: string) => getSubmissionDetail(as(stranger), id).then(() => 'shown', (error: Error) => error.message);
    const refused = await messageOf(teamEntry);
    const missingId = crypto.randomUUID();
    const missing = await messageOf(missingId);
    expect(refused).toBe(missing.replace(missingId, teamEntry));
    await expect(getSubmissionDetail(as(owner), 'not-a-uuid')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The other direction: the owner cannot see the stranger's entry either.
    await expect(getSubmissionDetail(as(owner), strangerEntry)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("serves only the current scoring version's numbers and plot data", async () => {
    const detail = await getSubmissionDetail(as(owner), teamEntry);
    expect(detail.scoredVersion).toBe('v2');
    expect(detail.scores.public?.nominal).toEqual({
      auc: { value: 0.8, ciLow: 0.79, ciHigh: 0.81 },
      ams_best: { value: 2.5, ciLow: 2.49, ciHigh: 2.51 },
    });
    expect(detail.scores.public?.jes_up?.auc?.value).toBe(0.78);
    expect(detail.scores.public?.systematics?.auc?.value).toBe(0.025);
    expect(detail.publicScores).toEqual({ auc: 0.8, ams_best: 2.5 });
    expect(Object.keys(detail.details.public ?? {})).toEqual(['nominal']);
    expect(detail.details.public?.nominal).toEqual(binaryDetail(0.8));
    expect(detail.variations).toEqual([
      { name: 'nominal', label: 'Nominal' },
      { name: 'jes_up', label: 'JES up' },
    ]);
    expect(detail.metrics.map((m) => m.id)).toEqual(['ams_best', 'auc']);
    expect(detail.task).toBe('binary-classification');
  });

  it('hides the private split and the true μ until the phase closes', async () => {
    const open = await getSubmissionDetail(as(owner), teamEntry);
    expect(open.phaseState).toBe('open');
    expect(open.scores.private).toBeUndefined();
    expect(open.details.private).toBeUndefined();
    expect(open.privateScores).toBeNull();
    const openInterval = await getSubmissionDetail(as(owner), intervalEntry);
    const openPlot = openInterval.details.public?.nominal as IntervalScoreDetail;
    expect(openPlot.pe.muTrue).toBeNull();
    expect(openPlot.pe.muHat).toEqual([1, 0.5, 2]);
    expect(openPlot.coverageByMu).toEqual(intervalDetail.coverageByMu);
    expect(openInterval.details.private).toBeUndefined();
    expect(openInterval.scores.private).toBeUndefined();

    const closed = await getSubmissionDetail(as(organiser, afterClose), teamEntry);
    expect(closed.phaseState).toBe('closed');
    expect(closed.scores.private?.nominal?.auc?.value).toBe(0.79);
    expect(closed.details.private?.nominal).toEqual(binaryDetail(0.79));
    expect(closed.privateScores).toEqual({ auc: 0.79, ams_best: 2.4 });
    const closedInterval = await getSubmissionDetail(as(owner, afterClose), intervalEntry);
    expect((closedInterval.details.public?.nominal as IntervalScoreDetail).pe.muTrue).toEqual([1.1, 0.9, 2.2]);
    expect(closedInterval.scores.private?.nominal?.quantile_score?.value).toBe(1.3);
  });

  it('lets the owner and team mates change the final selection only while the phase is open', async () => {
    expect((await getSubmissionDetail(as(owner), teamEntry)).canSelectFinal).toBe(true);
    expect((await getSubmissionDetail(as(mate), teamEntry)).canSelectFinal).toBe(true);
    expect((await getSubmissionDetail(as(organiser), teamEntry)).canSelectFinal).toBe(false);
    expect((await getSubmissionDetail(as(owner, afterClose), teamEntry)).canSelectFinal).toBe(false);
    // An entry from before the team belongs to another competitor than the team's.
    expect((await getSubmissionDetail(as(owner), soloEntry)).canSelectFinal).toBe(false);
  });
});

describe('final selection', () => {
  let entries: { a: string; b: string; c: string; queued: string };
  const select = (user: SessionUser | null, submissionIds: string[], now = beforeClose) =>
    selectFinalSubmissions(as(user, now), { challengeSlug: 'detail-binary', phaseKey: 'main', submissionIds });

  beforeAll(async () => {
    entries = {
      a: await insertSubmission(binary, owner, { teamId, fileName: 'a.csv' }),
      b: await insertSubmission(binary, mate, { teamId, fileName: 'b.csv' }),
      c: await insertSubmission(binary, owner, { teamId, fileName: 'c.csv' }),
      queued: await insertSubmission(binary, mate, { teamId, status: 'queued', fileName: 'queued.csv' }),
    };
  });
  const all = () => [entries.a, entries.b, entries.c, entries.queued, teamEntry, soloEntry, strangerEntry];

  it("selects at most two of the team's scored entries, and a new choice replaces the old one as a whole", async () => {
    await expect(select(owner, [entries.a, entries.b])).resolves.toEqual({ challengeSlug: 'detail-binary', phaseKey: 'main', submissionIds: [entries.a, entries.b] });
    expect(await finalIds(all())).toEqual([entries.a, entries.b].sort());

    // A team mate's choice replaces the owner's: the selection is the team's.
    await select(mate, [entries.c]);
    expect(await finalIds(all())).toEqual([entries.c]);

    // Refused choices leave the current one untouched.
    await expect(select(owner, [entries.a, entries.b, entries.c])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(select(owner, [entries.a, entries.queued])).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(await finalIds(all())).toEqual([entries.c]);

    // Two choices at once end as one of them, never a mix.
    await Promise.all([select(owner, [entries.a, entries.b]), select(mate, [entries.c, teamEntry])]);
    const after = await finalIds(all());
    expect([[entries.a, entries.b].sort(), [entries.c, teamEntry].sort()]).toContainEqual(after);

    await select(owner, []);
    expect(await finalIds(all())).toEqual([]);
  });

  it("refuses other people's submissions as NOT_FOUND", async () => {
    await select(owner, [entries.a]);
    await expect(select(stranger, [entries.a])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(select(organiser, [entries.a])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(select(owner, [strangerEntry])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(select(owner, ['not-a-uuid'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(select(null, [entries.a])).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(await finalIds(all())).toEqual([entries.a]);
  });

  it('refuses any change once the phase has closed, naming the close time', async () => {
    const refusal = select(owner, [entries.b], afterClose);
    await expect(refusal).rejects.toMatchObject({ code: 'PHASE_CLOSED', details: { closesAt } });
    await expect(refusal).rejects.toThrow(closesAt);
    expect(await finalIds(all())).toEqual([entries.a]);
  });

  it("lists the team's entries for each member with their final flag and a link to them", async () => {
    const mine = await listMySubmissions(as(mate));
    const a = mine.find((s) => s.id === entries.a);
    expect(a).toMatchObject({ isFinal: true, isOwn: false, submitterName: 'Owner', teamName: 'Quarks', href: `/submissions/${entries.a}`, canSelectFinal: true });
    expect(mine.find((s) => s.id === entries.queued)).toMatchObject({ isOwn: true, canSelectFinal: false });
    expect(mine.find((s) => s.id === teamEntry)?.publicScores).toEqual({ auc: 0.8, ams_best: 2.5 });
    // Neither the stranger's entries nor the owner's entry from before the team (not a team entry).
    expect(mine.some((s) => s.id === strangerEntry || s.id === soloEntry)).toBe(false);
    expect((await listMySubmissions(as(stranger))).map((s) => s.id)).toEqual([strangerEntry]);
    const ownerList = await listMySubmissions(as(owner, afterClose));
    expect(ownerList.find((s) => s.id === teamEntry)).toMatchObject({ privateScores: { auc: 0.79, ams_best: 2.4 }, canSelectFinal: false });
  });
});

describe('final selection and the rows it touches', () => {
  it("leaves other competitors' selections alone", async () => {
    await selectFinalSubmissions(as(stranger), { challengeSlug: 'detail-binary', phaseKey: 'main', submissionIds: [strangerEntry] });
    await selectFinalSubmissions(as(owner), { challengeSlug: 'detail-binary', phaseKey: 'main', submissionIds: [teamEntry] });
    const rows = await handle.db
      .select({ id: submissions.id })
      .from(submissions)
      .where(and(eq(submissions.phaseId, binary.phaseId), eq(submissions.isFinal, true)));
    expect(rows.map((r) => r.id).sort()).toEqual([strangerEntry, teamEntry].sort());
  });
});
