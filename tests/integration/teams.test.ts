import crypto from 'node:crypto';
import fs from 'node:fs';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { challenges, phases, submissions, teamMembers, teams, type Submission } from '@/db/schema';
import type { SessionUser } from '@/lib/server/context';
import { createTeam } from '@/lib/server/teams/create-team';
import { findTeamOfUser } from '@/lib/server/teams/find-team-of-user';
import { getMyTeam } from '@/lib/server/teams/get-my-team';
import { joinTeam } from '@/lib/server/teams/join-team';
import { leaveTeam } from '@/lib/server/teams/leave-team';
import { readTeamDto } from '@/lib/server/teams/read-team-dto';
import { rotateInviteCode } from '@/lib/server/teams/rotate-invite-code';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let challengeId: string;
let phaseId: string;
const slug = 'teams-toy';
const maxTotal = 4;
const maxPerDay = 3;
const duringPhase = () => new Date('2030-03-05T10:00:00Z');
const afterLastPhase = () => new Date('2031-01-01T00:00:00Z');

const ctxOf = (user: SessionUser | null, now = duringPhase) => makeContext(handle, dataDir, user, makeRecordingQueue(), now);

/** Records an entry directly (the upload path has its own suite); `daysAgo` keeps it out of today's count. */
async function addEntry(user: SessionUser, options: { teamId?: string | null; status?: Submission['status']; isFinal?: boolean; daysAgo?: number } = {}) {
  const [row] = await handle.db
    .insert(submissions)
    .values({
      challengeId,
      phaseId,
      userId: user.id,
      teamId: options.teamId ?? null,
      fileName: 'preds.csv',
      sha256: crypto.randomBytes(32).toString('hex'),
      sizeBytes: 10,
      rows: 1,
      status: options.status ?? 'scored',
      isFinal: options.isFinal ?? false,
      challengeRevision: 1,
      createdAt: new Date(duringPhase().getTime() - (options.daysAgo ?? 1) * 24 * 3600 * 1000),
    })
    .returning();
  if (!row) throw new Error('entry not recorded');
  return row;
}

async function entriesOf(user: SessionUser) {
  return handle.db.select().from(submissions).where(eq(submissions.userId, user.id));
}

async function ownerWithTeam(name: string) {
  const owner = await createTestUser(handle);
  const team = await createTeam(ctxOf(owner), { challengeSlug: slug, name });
  if (!team.inviteCode) throw new Error('the owner must see the invite code');
  return { owner, team, inviteCode: team.inviteCode };
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  await createToyChallenge(
    handle,
    dataDir,
    { slug, phases: [{ key: 'main', title: 'Main phase', opensAt: '2030-03-01T00:00:00Z', closesAt: '2030-12-31T00:00:00Z', maxPerDay, maxTotal }] },
    { trainEvents: 300, testEvents: 200 },
  );
  const [challenge] = await handle.db.select().from(challenges).where(eq(challenges.slug, slug));
  if (!challenge) throw new Error('challenge missing');
  challengeId = challenge.id;
  if (!challenge.publishedAt) await handle.db.update(challenges).set({ publishedAt: new Date('2030-01-01T00:00:00Z') }).where(eq(challenges.id, challengeId));
  const [phase] = await handle.db.select().from(phases).where(eq(phases.challengeId, challengeId));
  if (!phase) throw new Error('phase missing');
  phaseId = phase.id;
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('teams', () => {
  it('makes the creator the owner with an unguessable url-safe invite code, and brings their earlier entries along', async () => {
    const owner = await createTestUser(handle, 'participant', 'Ada');
    const earlier = await addEntry(owner, { isFinal: true });
    const team = await createTeam(ctxOf(owner), { challengeSlug: slug, name: '  Quarks  ' });
    expect(team.name).toBe('Quarks');
    expect(team.isOwner).toBe(true);
    expect(team.inviteCode).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(team.invitePath).toBe(`/challenges/${slug}/team?invite=${team.inviteCode}`);
    expect(team.members).toEqual([expect.objectContaining({ name: 'Ada', role: 'owner', isYou: true })]);
    const [moved] = await handle.db.select().from(submissions).where(eq(submissions.id, earlier.id));
    expect(moved?.teamId).toBe(team.id);
    // The team is just its creator: their own final selection stands.
    expect(moved?.isFinal).toBe(true);
    expect(await findTeamOfUser(handle.db, challengeId, owner.id)).toEqual({ id: team.id, name: 'Quarks', memberIds: [owner.id] });
  });

  it('refuses a second team with the same name in the challenge, and a second team for the same participant', async () => {
    const { owner } = await ownerWithTeam('Leptons');
    const other = await createTestUser(handle);
    await expect(createTeam(ctxOf(other), { challengeSlug: slug, name: 'Leptons' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('"Leptons" already exists') });
    await expect(createTeam(ctxOf(owner), { challengeSlug: slug, name: 'Bosons' })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already in team "Leptons"') });
  });

  it('lets a participant join by code or by the pasted invite link; their solo entries become the team\'s without their own final selection', async () => {
    const { owner, inviteCode } = await ownerWithTeam('Gluons');
    const joiner = await createTestUser(handle, 'participant', 'Bea');
    await addEntry(joiner, { isFinal: true });
    await addEntry(joiner, { status: 'failed' });
    const team = await joinTeam(ctxOf(joiner), { inviteCode: `https://arena.example.org/challenges/${slug}/team?invite=${inviteCode}` });
    expect(team.members.map((m) => [m.role, m.isYou])).toEqual([
      ['owner', false],
      ['member', true],
    ]);
    const entries = await entriesOf(joiner);
    expect(entries.every((e) => e.teamId === team.id && !e.isFinal)).toBe(true);
    expect((await findTeamOfUser(handle.db, challengeId, owner.id))?.memberIds).toEqual([owner.id, joiner.id]);
    await expect(joinTeam(ctxOf(joiner), { inviteCode })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already a member') });
  });

  it('keeps a participant in at most one team per challenge when they join two teams at the same moment', async () => {
    const a = await ownerWithTeam('Muons');
    const b = await ownerWithTeam('Taus');
    const joiner = await createTestUser(handle);
    const results = await Promise.allSettled([joinTeam(ctxOf(joiner), { inviteCode: a.inviteCode }), joinTeam(ctxOf(joiner), { inviteCode: b.inviteCode })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected');
    expect(refused?.status === 'rejected' && refused.reason).toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/at most one team per challenge/) });
    const memberships = await handle.db.select().from(teamMembers).where(and(eq(teamMembers.challengeId, challengeId), eq(teamMembers.userId, joiner.id)));
    expect(memberships).toHaveLength(1);
  });

  it('admits many concurrent joiners to one team without a false conflict', async () => {
    const { owner, inviteCode } = await ownerWithTeam('Pions');
    const joiners = await Promise.all([1, 2, 3, 4].map(() => createTestUser(handle)));
    await Promise.all(joiners.map((j) => joinTeam(ctxOf(j), { inviteCode })));
    const team = await findTeamOfUser(handle.db, challengeId, owner.id);
    expect(new Set(team?.memberIds)).toEqual(new Set([owner.id, ...joiners.map((j) => j.id)]));
  });

  it("refuses a join that would take the team past the phase's total limit, naming both counts; failed entries do not count", async () => {
    const { owner, team: kaons, inviteCode } = await ownerWithTeam('Kaons');
    await addEntry(owner, { teamId: kaons.id });
    await addEntry(owner, { teamId: kaons.id });
    await addEntry(owner, { teamId: kaons.id, status: 'failed' });
    const heavy = await createTestUser(handle);
    for (let i = 0; i < 3; i++) await addEntry(heavy, { daysAgo: 2 + i });
    const error = await joinTeam(ctxOf(heavy), { inviteCode }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'LIMIT_REACHED', details: { teamSubmissions: 2, yourSubmissions: 3, maxTotal } });
    expect((error as Error).message).toContain('5 submissions in "Main phase"');
    expect(await findTeamOfUser(handle.db, challengeId, heavy.id)).toBeNull();
    expect((await entriesOf(heavy)).every((e) => e.teamId === null)).toBe(true);

    const light = await createTestUser(handle);
    await addEntry(light);
    await addEntry(light, { status: 'failed' });
    await addEntry(light, { status: 'failed' });
    const team = await joinTeam(ctxOf(light), { inviteCode });
    expect(team.members).toHaveLength(2);
  });

  it("refuses a join that would exceed today's daily limit, and admits concurrent joiners only while they fit under the total", async () => {
    const { owner, team: etas, inviteCode } = await ownerWithTeam('Etas');
    await addEntry(owner, { teamId: etas.id, daysAgo: 0 });
    await addEntry(owner, { teamId: etas.id, daysAgo: 0 });
    const busy = await createTestUser(handle);
    await addEntry(busy, { daysAgo: 0 });
    await addEntry(busy, { daysAgo: 0 });
    await expect(joinTeam(ctxOf(busy), { inviteCode })).rejects.toMatchObject({ code: 'LIMIT_REACHED', message: expect.stringContaining('daily limit of 3') });

    // The team has 2 of 4; each joiner brings 1, earlier days: both fit alone, and together exactly both fit…
    const first = await createTestUser(handle);
    const second = await createTestUser(handle);
    const third = await createTestUser(handle);
    for (const user of [first, second, third]) await addEntry(user, { daysAgo: 3 });
    // …but not all three: the counts are taken under the same locks as uploads, so the third is refused whatever the order.
    const results = await Promise.allSettled([first, second, third].map((u) => joinTeam(ctxOf(u), { inviteCode })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['LIMIT_REACHED']);
    const counted = (await handle.db.select().from(submissions).where(eq(submissions.teamId, etas.id))).filter((s) => s.status !== 'failed');
    expect(counted).toHaveLength(maxTotal);
  });

  it('shows the invite code to members only', async () => {
    const { owner, team } = await ownerWithTeam('Neutrinos');
    const outsider = await createTestUser(handle);
    const organiser = await createTestUser(handle, 'admin');
    expect(await getMyTeam(ctxOf(outsider), slug)).toBeNull();
    expect(await getMyTeam(ctxOf(organiser), slug)).toBeNull();
    const [row] = await handle.db.select().from(teams).where(eq(teams.id, team.id));
    if (!row) throw new Error('team missing');
    const seenByOutsider = await readTeamDto(handle.db, row, slug, outsider.id);
    expect(seenByOutsider.inviteCode).toBeNull();
    expect(seenByOutsider.invitePath).toBeNull();
    expect(JSON.stringify(seenByOutsider)).not.toContain(row.inviteCode);

    const member = await createTestUser(handle);
    await joinTeam(ctxOf(member), { inviteCode: row.inviteCode });
    expect((await getMyTeam(ctxOf(member), slug))?.inviteCode).toBe(row.inviteCode);
    expect((await getMyTeam(ctxOf(owner), slug))?.inviteCode).toBe(row.inviteCode);
    await leaveTeam(ctxOf(member), { challengeSlug: slug });
    expect(await getMyTeam(ctxOf(member), slug)).toBeNull();
    await expect(getMyTeam(ctxOf(null), slug)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('lets only the owner rotate the invite code, and the old code stops working at once', async () => {
    const { owner, inviteCode } = await ownerWithTeam('Photons');
    const member = await createTestUser(handle);
    await joinTeam(ctxOf(member), { inviteCode });
    await expect(rotateInviteCode(ctxOf(member), { challengeSlug: slug })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const rotated = await rotateInviteCode(ctxOf(owner), { challengeSlug: slug });
    expect(rotated.inviteCode).not.toBe(inviteCode);
    const late = await createTestUser(handle);
    await expect(joinTeam(ctxOf(late), { inviteCode })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await joinTeam(ctxOf(late), { inviteCode: rotated.inviteCode ?? '' });
  });

  it('keeps members whose entries count for the team, makes the owner leave last, and dissolves a team its owner leaves alone', async () => {
    const { owner, team, inviteCode } = await ownerWithTeam('Hadrons');
    const member = await createTestUser(handle);
    const tried = await createTestUser(handle);
    await joinTeam(ctxOf(member), { inviteCode });
    await joinTeam(ctxOf(tried), { inviteCode });
    await addEntry(member, { teamId: team.id });
    const failed = await addEntry(tried, { teamId: team.id, status: 'failed' });

    await expect(leaveTeam(ctxOf(member), { challengeSlug: slug })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/counts? for team "Hadrons"/) });
    await expect(leaveTeam(ctxOf(owner), { challengeSlug: slug })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('the owner leaves last') });
    expect(await leaveTeam(ctxOf(tried), { challengeSlug: slug })).toEqual({ teamName: 'Hadrons', isDissolved: false });
    const [failedAfter] = await handle.db.select().from(submissions).where(eq(submissions.id, failed.id));
    expect(failedAfter?.teamId).toBeNull();

    const solo = await ownerWithTeam('Solo');
    const entry = await addEntry(solo.owner, { teamId: solo.team.id });
    expect(await leaveTeam(ctxOf(solo.owner), { challengeSlug: slug })).toEqual({ teamName: 'Solo', isDissolved: true });
    expect(await handle.db.select().from(teams).where(eq(teams.id, solo.team.id))).toHaveLength(0);
    const [entryAfter] = await handle.db.select().from(submissions).where(eq(submissions.id, entry.id));
    expect(entryAfter?.teamId).toBeNull();
    await expect(leaveTeam(ctxOf(solo.owner), { challengeSlug: slug })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('freezes teams once the last phase has closed', async () => {
    const { inviteCode } = await ownerWithTeam('Late');
    const user = await createTestUser(handle);
    await expect(joinTeam(ctxOf(user, afterLastPhase), { inviteCode })).rejects.toMatchObject({ code: 'PHASE_CLOSED' });
    await expect(createTeam(ctxOf(user, afterLastPhase), { challengeSlug: slug, name: 'Too late' })).rejects.toMatchObject({ code: 'PHASE_CLOSED' });
  });

  it('rejects an invite code that is not one, with how to fix it', async () => {
    const user = await createTestUser(handle);
    await expect(joinTeam(ctxOf(user), { inviteCode: 'abc' })).rejects.toThrow(/paste the code or the invite link/);
  });
});
