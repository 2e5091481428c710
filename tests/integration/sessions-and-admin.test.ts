import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { auditEvents, datasets } from '@/db/schema';
import { listUsers } from '@/lib/server/admin/list-users';
import { setUserDisabled } from '@/lib/server/admin/set-user-disabled';
import { setUserRole } from '@/lib/server/admin/set-user-role';
import { authenticateApiToken } from '@/lib/server/api-tokens/authenticate-api-token';
import { createApiToken } from '@/lib/server/api-tokens/create-api-token';
import { findSessionUser } from '@/lib/server/auth/find-session-user';
import { revokeUserSessions } from '@/lib/server/auth/revoke-user-sessions';
import type { ServiceContext, SessionUser } from '@/lib/server/context';
import { assertCanCreateChallenges } from '@/lib/server/organiser/assert-can-create-challenges';
import { getAccount } from '@/lib/server/users/get-account';
import { signInWithPassword } from '@/lib/server/users/sign-in-with-password';
import { signOutEverywhere } from '@/lib/server/users/sign-out-everywhere';
import { createTestUser, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
const password = 'correct horse battery';
const client = (address: string, now = new Date()) => ({ address, userAgent: 'vitest', now });
const as = (user: SessionUser | null): ServiceContext => makeContext(handle, '', user, makeRecordingQueue());

beforeAll(async () => {
  handle = await openTestDatabase();
});
afterAll(async () => {
  await handle?.close();
});

describe('sessions end on the server', () => {
  it('signs out one browser: its cookie stops working, another browser of the same account keeps going', async () => {
    const user = await createTestUser(handle, 'participant');
    const laptop = await signInWithPassword(handle.db, { email: user.email, password }, client('198.51.100.1'));
    const phone = await signInWithPassword(handle.db, { email: user.email, password }, client('198.51.100.2'));
    expect(laptop && phone).toBeTruthy();
    expect(await findSessionUser(handle.db, laptop?.sessionId, new Date())).toMatchObject({ id: user.id });
    await revokeUserSessions(handle.db, { sessionId: laptop?.sessionId as string }, new Date());
    expect(await findSessionUser(handle.db, laptop?.sessionId, new Date())).toBeNull();
    expect(await findSessionUser(handle.db, phone?.sessionId, new Date())).toMatchObject({ id: user.id });
  });

  it('signs out everywhere: every session of the account ends, the account page lists none, API tokens keep working', async () => {
    const user = await createTestUser(handle, 'participant');
    const sessions = await Promise.all([1, 2, 3].map((i) => signInWithPassword(handle.db, { email: user.email, password }, client(`203.0.113.${i}`))));
    expect((await getAccount(as(user))).sessions).toHaveLength(3);
    const { token } = await createApiToken(as(user), { name: 'script' });
    expect(await signOutEverywhere(as(user))).toEqual({ ended: 3 });
    for (const s of sessions) expect(await findSessionUser(handle.db, s?.sessionId, new Date())).toBeNull();
    expect((await getAccount(as(user))).sessions).toHaveLength(0);
    expect(await authenticateApiToken(handle.db, token)).toMatchObject({ id: user.id });
  });

  it('reads the role afresh on every request: a demoted organiser\'s old cookie can no longer create a challenge', async () => {
    const admin = await createTestUser(handle, 'admin');
    const organiser = await createTestUser(handle, 'organiser');
    const session = await signInWithPassword(handle.db, { email: organiser.email, password }, client('198.51.100.9'));
    const before = await findSessionUser(handle.db, session?.sessionId, new Date());
    expect(() => assertCanCreateChallenges(as(before))).not.toThrow();
    await setUserRole(as(admin), { email: organiser.email, role: 'participant' });
    const after = await findSessionUser(handle.db, session?.sessionId, new Date());
    expect(after?.role).toBe('participant');
    expect(() => assertCanCreateChallenges(as(after))).toThrow(/Only organisers and admins/);
  });

  it('a disabled account cannot sign in, its sessions end and its API tokens are refused; enabling lets it sign in again', async () => {
    const admin = await createTestUser(handle, 'admin');
    const user = await createTestUser(handle, 'participant');
    const session = await signInWithPassword(handle.db, { email: user.email, password }, client('198.51.100.20'));
    const { token } = await createApiToken(as(user), { name: 'ci' });
    const done = await setUserDisabled(as(admin), { email: user.email, isDisabled: true });
    expect(done).toMatchObject({ isDisabled: true, endedSessions: 1 });
    expect(await findSessionUser(handle.db, session?.sessionId, new Date())).toBeNull();
    expect(await authenticateApiToken(handle.db, token)).toBeNull();
    await expect(signInWithPassword(handle.db, { email: user.email, password }, client('198.51.100.20'))).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('disabled') });
    await setUserDisabled(as(admin), { email: user.email, isDisabled: false });
    expect(await signInWithPassword(handle.db, { email: user.email, password }, client('198.51.100.20'))).toMatchObject({ id: user.id });
    expect(await authenticateApiToken(handle.db, token)).toMatchObject({ id: user.id });
  });

  it('refuses a forged or malformed session id', async () => {
    for (const sid of [undefined, '', 'x', '00000000-0000-0000-0000-000000000000', 42]) expect(await findSessionUser(handle.db, sid, new Date())).toBeNull();
  });
});

describe('sign-in limits', () => {
  it('a stranger guessing from elsewhere locks out only himself: the owner still signs in from their own network', async () => {
    const owner = await createTestUser(handle, 'participant');
    const now = new Date('2031-01-01T10:00:00Z');
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      outcomes.push(await signInWithPassword(handle.db, { email: owner.email, password: `guess-${i}` }, client('192.0.2.66', now)).then((u) => (u ? 'in' : 'wrong'), (e: { code?: string }) => e.code ?? 'error'));
    }
    expect(outcomes.slice(0, 10)).toEqual(Array(10).fill('wrong'));
    expect(outcomes.slice(10)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    // Right password from the stranger's address is refused too: the pair is locked for the window.
    await expect(signInWithPassword(handle.db, { email: owner.email, password }, client('192.0.2.66', now))).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(await signInWithPassword(handle.db, { email: owner.email, password }, client('198.51.100.77', now))).toMatchObject({ id: owner.id });
  });

  it('limits one client spraying many accounts, and a distributed guess at one account for minutes, not longer', async () => {
    const now = new Date('2031-02-01T10:00:00Z');
    const victims = await Promise.all(Array.from({ length: 4 }, () => createTestUser(handle, 'participant')));
    const sprayed: string[] = [];
    for (let i = 0; i < 32; i++) {
      const victim = victims[i % victims.length] as SessionUser;
      sprayed.push(await signInWithPassword(handle.db, { email: victim.email, password: 'nope-nope' }, client('192.0.2.99', now)).then(() => 'wrong', (e: { code?: string }) => e.code ?? 'error'));
    }
    expect(sprayed.filter((o) => o === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(2);
    expect(sprayed.slice(0, 30).every((o) => o === 'wrong')).toBe(true);

    const target = await createTestUser(handle, 'participant');
    for (let i = 0; i < 50; i++) await signInWithPassword(handle.db, { email: target.email, password: 'nope-nope' }, client(`10.9.${Math.floor(i / 200)}.${i % 200}`, now));
    await expect(signInWithPassword(handle.db, { email: target.email, password }, client('198.51.100.5', now))).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      details: { retryInSeconds: expect.any(Number) },
    });
    // The account-wide window is five minutes, sliding: gone at most two windows after the last attempt.
    const tenMinutesLater = new Date(now.getTime() + 10 * 60_000);
    expect(await signInWithPassword(handle.db, { email: target.email, password }, client('198.51.100.5', tenMinutesLater))).toMatchObject({ id: target.id });
  });

  it('forgives the attempts of a right password, so an owner who mistypes now and then is never locked out', async () => {
    const owner = await createTestUser(handle, 'participant');
    const now = new Date('2031-03-01T10:00:00Z');
    // Three rounds of nine typos stay under the per-client limit (30): the account-and-client count starts again each time.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 9; i++) await signInWithPassword(handle.db, { email: owner.email, password: 'typo-typo' }, client('198.51.100.40', now));
      expect(await signInWithPassword(handle.db, { email: owner.email, password }, client('198.51.100.40', now))).toMatchObject({ id: owner.id });
    }
  });
});

describe('administration', () => {
  it('is for admins only, and records every change with its actor', async () => {
    const admin = await createTestUser(handle, 'admin', 'Root Admin');
    const organiser = await createTestUser(handle, 'organiser');
    const participant = await createTestUser(handle, 'participant');
    for (const user of [organiser, participant, null]) {
      await expect(listUsers(as(user))).rejects.toMatchObject({ code: user ? 'FORBIDDEN' : 'UNAUTHENTICATED' });
      await expect(setUserRole(as(user), { email: participant.email, role: 'admin' })).rejects.toMatchObject({ code: user ? 'FORBIDDEN' : 'UNAUTHENTICATED' });
      await expect(setUserDisabled(as(user), { email: admin.email, isDisabled: true })).rejects.toBeTruthy();
    }
    await setUserRole(as(admin), { email: participant.email, role: 'organiser' });
    await expect(setUserRole(as(admin), { email: admin.email, role: 'participant' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(setUserDisabled(as(admin), { email: admin.email, isDisabled: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(setUserRole(as(admin), { email: 'nobody@example.org', role: 'organiser' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const listed = await listUsers(as(admin), { search: participant.email });
    expect(listed).toEqual([expect.objectContaining({ email: participant.email, role: 'organiser', isDisabled: false })]);
    const events = await handle.db.select().from(auditEvents);
    expect(events.filter((e) => e.action === 'user.set-role' && e.actorId === admin.id && e.target === `user:${participant.email}`)).toHaveLength(1);
  });

  it('npm run admin works on the embedded database when the server is stopped, and says so when it runs', async () => {
    const dataDir = makeDataDir();
    const root = path.resolve(__dirname, '..', '..');
    const admin = (args: string[]) =>
      spawnSync(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(root, 'lib/cli/admin/admin.ts'), ...args], {
        cwd: root,
        env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' },
        encoding: 'utf8',
        timeout: 120_000,
      });
    try {
      // An account, made the way sign-up makes it, in the embedded database of DATA_DIR.
      const db = await openDatabase({ url: undefined, dataDir });
      await db.migrate();
      const user = await createTestUser(db, 'participant', 'Cli Person');
      await db.db.insert(datasets).values({ id: 'cli-dataset', ownerId: null });
      await db.close();

      const promoted = admin(['grant-organiser', user.email]);
      expect([promoted.status, promoted.stdout.trim()]).toEqual([0, `${user.email}: participant → organiser`]);
      const listed = admin(['users', '--json']);
      expect(listed.status).toBe(0);
      expect(JSON.parse(listed.stdout)).toEqual([expect.objectContaining({ email: user.email, role: 'organiser' })]);
      const granted = admin(['grant-dataset', 'cli-dataset', user.email]);
      expect([granted.status, granted.stdout.trim()]).toEqual([0, `cli-dataset granted to ${user.email}`]);
      const owned = admin(['set-dataset-owner', 'cli-dataset', user.email]);
      expect([owned.status, owned.stdout.trim()]).toEqual([0, `cli-dataset now belongs to ${user.email}`]);
      const unknown = admin(['disable', 'nobody@example.org']);
      expect([unknown.status, unknown.stderr.trim()]).toEqual([2, 'admin: There is no account with the e-mail address nobody@example.org.']);
      const usage = admin(['frobnicate']);
      expect(usage.status).toBe(2);
      expect(usage.stderr).toContain('unknown command "frobnicate"');

      // A live process holding the embedded database (as the server does): refused, saying what to do.
      const holder = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'tests/support/hold-embedded-database.ts'), dataDir], {
        cwd: root,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('open') ? resolve() : undefined));
        holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
      });
      try {
        const refused = admin(['users']);
        expect(refused.status).toBe(2);
        expect(refused.stderr).toMatch(/is open in another process \(pid \d+, e\.g\. the running server\).*Stop that process first/);
      } finally {
        holder.kill('SIGKILL');
        await new Promise((resolve) => holder.on('exit', resolve));
      }
      // The holder died without cleaning up: its stale lock is taken over.
      expect(fs.existsSync(path.join(dataDir, 'pglite.lock'))).toBe(true);
      const after = admin(['revoke-organiser', user.email]);
      expect([after.status, after.stdout.trim()]).toEqual([0, `${user.email}: organiser → participant`]);
      const db2 = await openDatabase({ url: undefined, dataDir });
      const events = await db2.db.select().from(auditEvents);
      await db2.close();
      expect(events.map((e) => [e.action, e.actorId, (e.details as { via?: string }).via])).toEqual([
        ['user.set-role', null, 'cli'],
        ['dataset.grant', null, 'cli'],
        ['dataset.set-owner', null, 'cli'],
        ['user.set-role', null, 'cli'],
      ]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
