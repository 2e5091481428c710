import crypto from 'node:crypto';
import fs from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '@/db/client';
import { apiTokens, auditEvents, downloadEvents } from '@/db/schema';
import { authenticateApiToken } from '@/lib/server/api-tokens/authenticate-api-token';
import { createApiToken } from '@/lib/server/api-tokens/create-api-token';
import { listApiTokens } from '@/lib/server/api-tokens/list-api-tokens';
import { revokeApiToken } from '@/lib/server/api-tokens/revoke-api-token';
import type { SessionUser } from '@/lib/server/context';
import { getDatasetDownload } from '@/lib/server/datasets/get-dataset-download';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

// The route handlers build their context from the process database (lib/env): an in-memory one for this suite.
const routeDataDir = makeDataDir();
process.env.DATABASE_URL = 'memory://';
process.env.DATA_DIR = routeDataDir;
process.env.NEXTAUTH_SECRET ??= 'api-tokens-suite-secret';

let handle: DatabaseHandle;
let dataDir: string;

const ctxOf = (user: SessionUser | null) => makeContext(handle, dataDir, user, makeRecordingQueue());

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(routeDataDir, { recursive: true, force: true });
});

describe('API tokens', () => {
  it('returns the token once and stores only its sha256 and an 8-character prefix, so the table never holds the token', async () => {
    const user = await createTestUser(handle);
    const { token, apiToken } = await createApiToken(ctxOf(user), { name: 'laptop' });
    expect(token).toMatch(/^ha_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token.slice(3), 'base64url')).toHaveLength(32);
    expect(apiToken).toMatchObject({ name: 'laptop', prefix: token.slice(0, 8), lastUsedAt: null, revokedAt: null });

    const rows = await handle.db.select().from(apiTokens).where(eq(apiTokens.userId, user.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]?.tokenHash).toBe(crypto.createHash('sha256').update(token).digest('hex'));
    // Neither the token nor its secret part appears anywhere in the table or the audit log, in any column.
    const raw = (await handle.db.execute(sql`select * from api_tokens`)) as unknown as { rows: unknown[] };
    const dump = JSON.stringify([
      ...raw.rows,
      ...(await handle.db.select().from(auditEvents)),
    ]);
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(token.slice(8, 30));
    expect(await listApiTokens(ctxOf(user))).toEqual([apiToken]);
  });

  it('authenticates a live token as its owner and records when it was last used', async () => {
    const user = await createTestUser(handle, 'participant', 'Token Owner');
    const { token, apiToken } = await createApiToken(ctxOf(user), { name: 'cluster' });
    const usedAt = new Date('2030-05-01T12:00:00Z');
    expect(await authenticateApiToken(handle.db, token, usedAt)).toEqual({ id: user.id, email: user.email, name: 'Token Owner', role: 'participant' });
    const [listed] = (await listApiTokens(ctxOf(user))).filter((t) => t.id === apiToken.id);
    expect(listed?.lastUsedAt).toBe(usedAt.toISOString());
  });

  it('rejects a revoked, unknown or malformed token', async () => {
    const user = await createTestUser(handle);
    const { token, apiToken } = await createApiToken(ctxOf(user), { name: 'old' });
    const revoked = await revokeApiToken(ctxOf(user), { tokenId: apiToken.id });
    expect(revoked.revokedAt).not.toBeNull();
    expect(await authenticateApiToken(handle.db, token)).toBeNull();
    expect(await authenticateApiToken(handle.db, `ha_${crypto.randomBytes(32).toString('base64url')}`)).toBeNull();
    for (const malformed of ['', 'ha_', token.slice(0, -1), `${token}x`, `Bearer ${token}`]) {
      expect(await authenticateApiToken(handle.db, malformed)).toBeNull();
    }
    // Revoking again changes nothing and keeps the first revocation time.
    expect((await revokeApiToken(ctxOf(user), { tokenId: apiToken.id })).revokedAt).toBe(revoked.revokedAt);
  });

  it("does not let another user revoke (or see) someone's token", async () => {
    const owner = await createTestUser(handle);
    const other = await createTestUser(handle);
    const { token, apiToken } = await createApiToken(ctxOf(owner), { name: 'mine' });
    await expect(revokeApiToken(ctxOf(other), { tokenId: apiToken.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await listApiTokens(ctxOf(other))).toEqual([]);
    expect((await authenticateApiToken(handle.db, token))?.id).toBe(owner.id);
    await expect(revokeApiToken(ctxOf(null), { tokenId: apiToken.id })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(createApiToken(ctxOf(other), { name: '   ' })).rejects.toThrow(/Give the token a name/);
  });

  it('records who downloaded which dataset file, and serves no file to an anonymous caller', async () => {
    const definition = await createToyChallenge(handle, dataDir, {}, { trainEvents: 300, testEvents: 200 });
    const user = await createTestUser(handle);
    const { token } = await createApiToken(ctxOf(user), { name: 'downloads' });
    const tokenUser = await authenticateApiToken(handle.db, token);
    await getDatasetDownload(ctxOf(tokenUser), { challengeSlug: definition.slug, fileName: 'test.csv' });
    await expect(getDatasetDownload(ctxOf(tokenUser), { challengeSlug: definition.slug, fileName: 'truth.arrow' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getDatasetDownload(ctxOf(null), { challengeSlug: definition.slug, fileName: 'test.csv' })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    const events = await handle.db.select().from(downloadEvents);
    expect(events.map((e) => [e.fileName, e.userId])).toEqual([['test.csv', user.id]]);
  });
});

describe('the v1 API with a bearer token', () => {
  const origin = 'http://arena.test';
  const call = async (path: string, route: { GET: (request: Request, segment: { params: Promise<never> }) => Promise<Response> }, params: object, authorization?: string) =>
    route.GET(new Request(`${origin}${path}`, { headers: authorization ? { authorization } : {} }), { params: Promise.resolve(params as never) });

  it('lists challenges, describes one with download URLs and the predictions columns, and streams a file, recording the download', async () => {
    const { getDatabase } = await import('@/lib/server/database');
    const processDb = await getDatabase();
    const definition = await createToyChallenge(processDb, routeDataDir, {}, { trainEvents: 300, testEvents: 200 });
    const user = await createTestUser(processDb);
    const { token } = await createApiToken(makeContext(processDb, routeDataDir, user, makeRecordingQueue()), { name: 'routes' });
    const bearer = `Bearer ${token}`;

    const list = await call('/api/v1/challenges', await import('@/app/api/v1/challenges/route'), {}, bearer);
    expect(list.status).toBe(200);
    expect((await list.json()).map((c: { slug: string }) => c.slug)).toContain(definition.slug);

    const one = await call(`/api/v1/challenges/${definition.slug}`, await import('@/app/api/v1/challenges/[slug]/route'), { slug: definition.slug }, bearer);
    const resource = await one.json();
    expect(resource.submission.columns).toEqual(['id', 'score']);
    expect(resource.files.map((f: { name: string }) => f.name)).not.toContain('truth.arrow');
    expect(resource.files.find((f: { name: string }) => f.name === 'test.csv')?.url).toBe(`${origin}/api/v1/challenges/${definition.slug}/files/test.csv`);

    const fileRoute = await import('@/app/api/v1/challenges/[slug]/files/[file]/route');
    const file = await call(`/api/v1/challenges/${definition.slug}/files/test.csv`, fileRoute, { slug: definition.slug, file: 'test.csv' }, bearer);
    expect(file.status).toBe(200);
    const bytes = Buffer.from(await file.arrayBuffer());
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(file.headers.get('x-content-sha256'));
    const events = await processDb.db.select().from(downloadEvents);
    expect(events.map((e) => [e.fileName, e.userId])).toEqual([['test.csv', user.id]]);

    const truth = await call(`/api/v1/challenges/${definition.slug}/files/truth.arrow`, fileRoute, { slug: definition.slug, file: 'truth.arrow' }, bearer);
    expect(truth.status).toBe(404);
    expect((await truth.json()).error.code).toBe('NOT_FOUND');
  });

  it('answers 401 with "invalid or revoked" for a revoked or unknown token and for a non-bearer header, never falling back to a session', async () => {
    const { getDatabase } = await import('@/lib/server/database');
    const processDb = await getDatabase();
    const user = await createTestUser(processDb);
    const ctx = makeContext(processDb, routeDataDir, user, makeRecordingQueue());
    const { token, apiToken } = await createApiToken(ctx, { name: 'to revoke' });
    await revokeApiToken(ctx, { tokenId: apiToken.id });
    const route = await import('@/app/api/v1/challenges/route');
    for (const authorization of [`Bearer ${token}`, 'Bearer ha_unknown', `Bearer ha_${crypto.randomBytes(32).toString('base64url')}`]) {
      const response = await call('/api/v1/challenges', route, {}, authorization);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('Bearer');
      const body = await response.json();
      expect(body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('invalid or has been revoked') });
    }
    const basic = await call('/api/v1/challenges', route, {}, 'Basic dXNlcjpwYXNz');
    expect(basic.status).toBe(401);
    expect((await basic.json()).error.message).toContain('must read "Bearer <token>"');
  });
});
