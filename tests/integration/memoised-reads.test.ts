import fs from 'node:fs';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { challenges, phases } from '@/db/schema';
import { setUserDisabled } from '@/lib/server/admin/set-user-disabled';
import { setUserRole } from '@/lib/server/admin/set-user-role';
import { authenticateApiToken } from '@/lib/server/api-tokens/authenticate-api-token';
import { createApiToken } from '@/lib/server/api-tokens/create-api-token';
import { revokeApiToken } from '@/lib/server/api-tokens/revoke-api-token';
import { createUserSession } from '@/lib/server/auth/create-user-session';
import { findSessionUser } from '@/lib/server/auth/find-session-user';
import { revokeUserSessions } from '@/lib/server/auth/revoke-user-sessions';
import { tableChanges } from '@/lib/server/cache/table-changes';
import { watchTableChanges } from '@/lib/server/cache/watch-table-changes';
import { getChallengeOrThrow } from '@/lib/server/challenges/get-challenge-or-throw';
import { getMyLeaderboardRows } from '@/lib/server/leaderboards/get-leaderboard';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase, testDatabaseKind } from '../support/test-database';

/**
 * Issue 17, item 9: on the embedded database the signed-in board, the API with a token and every page keep what they
 * read of users, sessions, tokens, challenges and boards until the database announces a write of those tables (statement
 * triggers of migration 0012). These tests hold that every kind of change is seen at the next request, that memoised
 * answers are really reused, and that nothing is memoised where announcements could come late (PostgreSQL) or
 * never (a transaction that rolls back).
 */
let handle: DatabaseHandle;
let dataDir: string;
let slug: string;
let stop: () => Promise<void>;

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  slug = (await createToyChallenge(handle, dataDir, { slug: 'memo-toy' }, { trainEvents: 300, testEvents: 300 })).slug;
  stop = await watchTableChanges(handle);
});

afterAll(async () => {
  await stop?.();
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

/** Runs `write` with the table's announcements switched off: what a memo then returns was not read afresh. */
async function unannounced(table: string, write: () => Promise<unknown>): Promise<void> {
  await handle.db.execute(sql.raw(`alter table "${table}" disable trigger "${table}_announce_change"`));
  try {
    await write();
  } finally {
    await handle.db.execute(sql.raw(`alter table "${table}" enable trigger "${table}_announce_change"`));
  }
}

describe.runIf(testDatabaseKind === 'pglite')('memoised reads on the embedded database', () => {
  it('reuse a token lookup until api_tokens or users is written, and refuse a revoked token at the next request', async () => {
    expect(tableChanges.isWatching).toBe(true);
    const user = await createTestUser(handle);
    const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
    const { token, apiToken } = await createApiToken(ctx, { name: 'memo' });
    // The first use records last_used_at (a write of api_tokens); the second lookup is then kept.
    expect((await authenticateApiToken(handle.db, token))?.id).toBe(user.id);
    expect((await authenticateApiToken(handle.db, token))?.id).toBe(user.id);
    // Revoked behind the announcements' back, the memo still answers: proof that the lookup was reused.
    await unannounced('api_tokens', () => handle.db.execute(sql`update api_tokens set revoked_at = now() where id = ${apiToken.id}`));
    expect((await authenticateApiToken(handle.db, token))?.id).toBe(user.id);
    await handle.db.execute(sql`update api_tokens set revoked_at = null where id = ${apiToken.id}`);
    // Revoked as the platform does it: refused at once.
    await revokeApiToken(ctx, { tokenId: apiToken.id });
    expect(await authenticateApiToken(handle.db, token)).toBeNull();
  });

  it('see a role change and a disabled account at the next token or session lookup', async () => {
    const admin = await createTestUser(handle, 'admin');
    const adminCtx = makeContext(handle, dataDir, admin, makeRecordingQueue());
    const user = await createTestUser(handle);
    const { token } = await createApiToken(makeContext(handle, dataDir, user, makeRecordingQueue()), { name: 'memo' });
    const sessionId = await createUserSession(handle.db, { userId: user.id, userAgent: null, now: new Date() });
    expect((await authenticateApiToken(handle.db, token))?.role).toBe('participant');
    expect((await findSessionUser(handle.db, sessionId, new Date()))?.role).toBe('participant');
    await setUserRole(adminCtx, { email: user.email, role: 'organiser' });
    expect((await authenticateApiToken(handle.db, token))?.role).toBe('organiser');
    expect((await findSessionUser(handle.db, sessionId, new Date()))?.role).toBe('organiser');
    await setUserDisabled(adminCtx, { email: user.email, isDisabled: true });
    expect(await authenticateApiToken(handle.db, token)).toBeNull();
    expect(await findSessionUser(handle.db, sessionId, new Date())).toBeNull();
  });

  it('end a session at the next request after sign-out, and at its expiry without any write', async () => {
    const user = await createTestUser(handle);
    const now = new Date();
    const sessionId = await createUserSession(handle.db, { userId: user.id, userAgent: null, now });
    expect((await findSessionUser(handle.db, sessionId, now))?.id).toBe(user.id);
    // Past its expiry the memoised row is refused by the clock alone.
    expect(await findSessionUser(handle.db, sessionId, new Date(now.getTime() + 366 * 24 * 3600 * 1000))).toBeNull();
    await revokeUserSessions(handle.db, { sessionId }, new Date());
    expect(await findSessionUser(handle.db, sessionId, new Date())).toBeNull();
  });

  it('reuse a loaded challenge until it or its phases change, and never keep what a rolled-back transaction read', async () => {
    const first = await getChallengeOrThrow(handle.db, slug);
    expect(await getChallengeOrThrow(handle.db, slug)).toBe(first);
    await handle.db.update(phases).set({ title: 'Renamed phase' }).where(eq(phases.challengeId, first.challenge.id));
    const renamed = await getChallengeOrThrow(handle.db, slug);
    expect(renamed).not.toBe(first);
    expect(renamed.phases.map((p) => p.title)).toEqual(['Renamed phase']);
    await handle.db
      .transaction(async (tx) => {
        await tx.update(challenges).set({ publishedAt: null }).where(eq(challenges.slug, slug));
        expect((await getChallengeOrThrow(tx as never, slug)).challenge.publishedAt).toBeNull();
        throw new Error('roll back');
      })
      .catch(() => undefined);
    const after = await getChallengeOrThrow(handle.db, slug);
    expect(after.challenge.publishedAt).toEqual(renamed.challenge.publishedAt);
    expect(after.challenge.publishedAt).not.toBeNull();
  });

  it("show a new score to its owner at once, through the memoised challenge and the board's memoised freshness", async () => {
    const user = await createTestUser(handle);
    const ctx = makeContext(handle, dataDir, user, makeRecordingQueue());
    expect((await getMyLeaderboardRows(ctx, { challengeSlug: slug })).rows).toEqual([]);
    const folder = path.join(dataDir, 'datasets', 'higgs-tautau-toy', '1.0.0');
    const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
    const csv = ['id,score', ...ids.map((id, i) => `${id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n';
    const created = await createSubmission(ctx, { challengeSlug: slug, fileName: 'p.csv', body: new TextEncoder().encode(csv) });
    await scoreSubmission({ db: handle.db, dataDir }, created.id);
    const mine = await getMyLeaderboardRows(ctx, { challengeSlug: slug });
    expect(mine.rows.map((r) => [r.submissionId, r.isYou])).toEqual([[created.id, true]]);
  });
});

describe.runIf(testDatabaseKind === 'postgres')('reads on PostgreSQL', () => {
  it('are never memoised: other processes write too, and their announcements arrive late', async () => {
    expect(tableChanges.isWatching).toBe(false);
    const first = await getChallengeOrThrow(handle.db, slug);
    expect(await getChallengeOrThrow(handle.db, slug)).not.toBe(first);
  });
});
