import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { challenges, submissions, teamMembers, teams } from '@/db/schema';
import type { SessionUser } from '@/lib/server/context';
import { getLeaderboard } from '@/lib/server/leaderboards/get-leaderboard';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { getSubmissionAllowance } from '@/lib/server/submissions/get-submission-allowance';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let definition: ChallengeDefinition;
let testIds: number[];
let labelById: Map<number, number>;

const opensAt = '2030-03-01T00:00:00Z';
const closesAt = '2030-03-10T12:00:00Z';
const at = (iso: string) => () => new Date(iso);
const duringPhase = at('2030-03-05T10:00:00Z');
const afterClose = at('2030-03-11T00:00:00Z');

function readColumn(file: string, name: string): number[] {
  const column = decodeArrowTable(new Uint8Array(fs.readFileSync(file))).columns[name];
  if (!column || Array.isArray(column)) throw new Error(`${file} has no numeric column ${name}`);
  return Array.from(column as ArrayLike<number>);
}

/** Predictions whose quality grows with `strength` (0: noise, 1: the labels). */
function predictions(strength: number, salt = 7919): Uint8Array {
  const lines = ['id,score', ...testIds.map((id) => `${id},${Math.min(1, strength * (labelById.get(id) ?? 0) + (((id * salt) % 1000) / 1000) * (1 - strength))}`)];
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

async function makeTeam(name: string, owner: SessionUser, members: SessionUser[]): Promise<string> {
  const [challenge] = await handle.db.select().from(challenges).where(eq(challenges.slug, definition.slug));
  if (!challenge) throw new Error('challenge missing');
  const [team] = await handle.db.insert(teams).values({ challengeId: challenge.id, name, inviteCode: `code-${name}-${Date.now()}`, createdBy: owner.id }).returning();
  if (!team) throw new Error('team missing');
  for (const [i, user] of [owner, ...members].entries()) {
    await handle.db.insert(teamMembers).values({ teamId: team.id, challengeId: challenge.id, userId: user.id, role: i === 0 ? 'owner' : 'member' });
  }
  return team.id;
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  definition = await createToyChallenge(handle, dataDir, {
    slug: 'limits-toy',
    phases: [{ key: 'main', title: 'Main phase', opensAt, closesAt, maxPerDay: 3, maxTotal: 5 }],
  });
  const folder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
  testIds = readColumn(path.join(folder, 'test.arrow'), 'id');
  const truthIds = readColumn(path.join(folder, 'truth.arrow'), 'id');
  const labels = readColumn(path.join(folder, 'truth.arrow'), 'label');
  labelById = new Map(truthIds.map((id, i) => [id, labels[i] ?? 0]));
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('phase limits', () => {
  it('enforces the total limit of a phase across days, and failed submissions cost nothing', async () => {
    const user = await createTestUser(handle);
    const days = ['2030-03-02T08:00:00Z', '2030-03-03T08:00:00Z'];
    for (const day of days) {
      for (let i = 0; i < 2; i++) {
        await createSubmission(makeContext(handle, dataDir, user, makeRecordingQueue(), at(day)), { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.3, 100 + i) });
      }
    }
    const ctx = makeContext(handle, dataDir, user, makeRecordingQueue(), at('2030-03-04T08:00:00Z'));
    const fifth = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.3, 200) });
    // A failed submission (e.g. a scoring error) gives its slot back.
    await handle.db.update(submissions).set({ status: 'failed', error: 'test' }).where(eq(submissions.id, fifth.id));
    await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.3, 201) });
    await expect(createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.3, 202) })).rejects.toMatchObject({
      code: 'LIMIT_REACHED',
      message: expect.stringContaining('all 5 submissions of "Main phase"'),
    });
  });

  it('shares the daily limit within a team, and concurrent uploads of two members never exceed it', async () => {
    const owner = await createTestUser(handle);
    const member = await createTestUser(handle);
    await makeTeam('Quarks', owner, [member]);
    const attempts = Array.from({ length: 10 }, (_, i) =>
      createSubmission(makeContext(handle, dataDir, i % 2 ? member : owner, makeRecordingQueue(), duringPhase), {
        challengeSlug: definition.slug,
        fileName: `p${i}.csv`,
        body: predictions(0.2, 300 + i),
      }),
    );
    const results = await Promise.allSettled(attempts);
    const accepted = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(accepted).toHaveLength(3);
    expect(refused).toHaveLength(7);
    for (const r of refused) expect(r.reason).toMatchObject({ code: 'LIMIT_REACHED', message: expect.stringContaining('Your team "Quarks"') });
    const allowance = await getSubmissionAllowance(makeContext(handle, dataDir, member, makeRecordingQueue(), duringPhase), definition.slug);
    expect(allowance).toMatchObject({ usedToday: 3, maxPerDay: 3, usedTotal: 3, maxTotal: 5, teamName: 'Quarks', resetsAt: '2030-03-06T00:00:00.000Z' });
  });

  it('resets the daily count at 00:00 UTC', async () => {
    const user = await createTestUser(handle);
    const lateEvening = at('2030-03-06T23:59:00Z');
    for (let i = 0; i < 3; i++) {
      await createSubmission(makeContext(handle, dataDir, user, makeRecordingQueue(), lateEvening), { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.2, 400 + i) });
    }
    await expect(
      createSubmission(makeContext(handle, dataDir, user, makeRecordingQueue(), lateEvening), { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.2, 410) }),
    ).rejects.toMatchObject({ code: 'LIMIT_REACHED', message: expect.stringContaining('resets at 00:00 UTC') });
    const nextDay = makeContext(handle, dataDir, user, makeRecordingQueue(), at('2030-03-07T00:00:01Z'));
    await expect(createSubmission(nextDay, { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.2, 411) })).resolves.toMatchObject({ status: 'queued' });
  });

  it('refuses a late submission and says when the phase closed', async () => {
    const user = await createTestUser(handle);
    await expect(
      createSubmission(makeContext(handle, dataDir, user, makeRecordingQueue(), afterClose), { challengeSlug: definition.slug, fileName: 'late.csv', body: predictions(0.5) }),
    ).rejects.toMatchObject({ code: 'PHASE_CLOSED', message: expect.stringContaining(`closed at ${new Date(closesAt).toISOString()}; late submissions are not accepted`) });
  });
});

describe('private board at the close', () => {
  it('ranks selected finals, falls back to the best public entry, and shows organiser baselines unranked', async () => {
    const organiser = await createTestUser(handle, 'organiser', 'Orga');
    await handle.db.update(challenges).set({ createdBy: organiser.id }).where(eq(challenges.slug, definition.slug));
    const picker = await createTestUser(handle, 'participant', 'Picker');
    const lazy = await createTestUser(handle, 'participant', 'Lazy');
    const submitAndScore = async (user: SessionUser, strength: number, salt: number, asBaseline = false) => {
      const s = await createSubmission(makeContext(handle, dataDir, user, makeRecordingQueue(), at('2030-03-08T10:00:00Z')), {
        challengeSlug: definition.slug,
        fileName: 'p.csv',
        body: predictions(strength, salt),
        asBaseline,
      });
      await scoreSubmission({ db: handle.db, dataDir }, s.id);
      return s.id;
    };
    const pickerStrong = await submitAndScore(picker, 0.8, 501);
    const pickerWeak = await submitAndScore(picker, 0.1, 502);
    const lazyWeak = await submitAndScore(lazy, 0.05, 503);
    const lazyStrong = await submitAndScore(lazy, 0.6, 504);
    const baseline = await submitAndScore(organiser, 0.4, 505, true);
    // Picker selects only the weak entry as final: the private board must use it, not the strong one.
    await handle.db.update(submissions).set({ isFinal: true }).where(eq(submissions.id, pickerWeak));

    const participantView = makeContext(handle, dataDir, picker, makeRecordingQueue(), at('2030-03-08T11:00:00Z'));
    await expect(getLeaderboard(participantView, { challengeSlug: definition.slug, split: 'private' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining(new Date(closesAt).toISOString()),
    });
    const publicBoard = await getLeaderboard(participantView, { challengeSlug: definition.slug });
    expect(publicBoard.rows.find((r) => r.userName === 'Picker')?.submissionId).toBe(pickerStrong);
    const baselineRow = publicBoard.rows.find((r) => r.submissionId === baseline);
    expect(baselineRow).toMatchObject({ rank: null, isBaseline: true, tieGroup: null });
    expect(publicBoard.rows.filter((r) => r.rank !== null).map((r) => r.rank)).toEqual(publicBoard.rows.filter((r) => r.rank !== null).map((_, i) => i + 1));

    const privateBoard = await getLeaderboard(makeContext(handle, dataDir, null, makeRecordingQueue(), afterClose), { challengeSlug: definition.slug, split: 'private' });
    expect(privateBoard.isPrivateRevealed).toBe(true);
    expect(privateBoard.rows.find((r) => r.userName === 'Picker')).toMatchObject({ submissionId: pickerWeak, selection: 'selected' });
    expect(privateBoard.rows.find((r) => r.userName === 'Lazy')).toMatchObject({ submissionId: lazyStrong, selection: 'best-public' });
    expect(privateBoard.rows.some((r) => r.submissionId === lazyWeak)).toBe(false);
    const ranked = privateBoard.rows.filter((r) => r.rank !== null);
    for (const row of ranked) {
      expect(row.values.ams_best?.ciLow).not.toBeNull();
      expect(row.tieGroup).not.toBeNull();
    }
  });
});

describe('the leaderboard cache', () => {
  it('shows a newly scored entry on the next request and marks "you" per viewer on a shared board', async () => {
    const first = await createTestUser(handle, 'participant', 'Cached first');
    const second = await createTestUser(handle, 'participant', 'Cached second');
    const when = at('2030-03-09T10:00:00Z');
    const s1 = await createSubmission(makeContext(handle, dataDir, first, makeRecordingQueue(), when), { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.3, 601) });
    await scoreSubmission({ db: handle.db, dataDir }, s1.id);
    const boardOfFirst = await getLeaderboard(makeContext(handle, dataDir, first, makeRecordingQueue(), when), { challengeSlug: definition.slug });
    expect(boardOfFirst.rows.find((r) => r.submissionId === s1.id)?.isYou).toBe(true);
    expect(boardOfFirst.rows.some((r) => r.userName === 'Cached second')).toBe(false);

    const s2 = await createSubmission(makeContext(handle, dataDir, second, makeRecordingQueue(), when), { challengeSlug: definition.slug, fileName: 'p.csv', body: predictions(0.4, 602) });
    await scoreSubmission({ db: handle.db, dataDir }, s2.id);
    const boardOfSecond = await getLeaderboard(makeContext(handle, dataDir, second, makeRecordingQueue(), when), { challengeSlug: definition.slug });
    expect(boardOfSecond.rows.find((r) => r.submissionId === s2.id)?.isYou).toBe(true);
    expect(boardOfSecond.rows.find((r) => r.submissionId === s1.id)?.isYou).toBe(false);
    const anonymous = await getLeaderboard(makeContext(handle, dataDir, null, makeRecordingQueue(), when), { challengeSlug: definition.slug });
    expect(anonymous.rows.every((r) => !r.isYou)).toBe(true);
    expect(anonymous.rows.map((r) => r.submissionId)).toEqual(boardOfSecond.rows.map((r) => r.submissionId));
  });
});
