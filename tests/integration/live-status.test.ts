import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submissions } from '@/db/schema';
import type { DatabaseHandle } from '@/db/client';
import type { SessionUser } from '@/lib/server/context';
import { createApiToken } from '@/lib/server/api-tokens/create-api-token';
import { setScoringQueueRuntime } from '@/lib/server/jobs/get-scoring-queue';
import type { ScoringQueueRuntime } from '@/lib/server/jobs/scoring-queue';
import { scoreSubmission } from '@/lib/server/scoring/score-submission';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { getLiveSubmissions } from '@/lib/server/submissions/get-live-submissions';
import { listMySubmissions } from '@/lib/server/submissions/list-my-submissions';
import { createTeam } from '@/lib/server/teams/create-team';
import { joinTeam } from '@/lib/server/teams/join-team';
import { decodeArrowTable } from '@/lib/shared/arrow';
import type { LiveSubmissionDto } from '@/lib/shared/dto/submission-status-dto';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';

/**
 * Live status (server-sent events, with a JSON snapshot for the polling fallback) and "My submissions" with
 * descriptions, metric names, intervals and filters, through the real route handlers on an embedded database.
 */
const dataDir = makeDataDir();
process.env.DATABASE_URL = 'memory://';
process.env.DATA_DIR = dataDir;
process.env.NEXTAUTH_SECRET ??= 'live-status-suite-secret';
process.env.LIVE_STATUS_POLL_MS = '100';

let processDb: DatabaseHandle;
let slug: string;
let csv: string;
let owner: SessionUser;
let mate: SessionUser;
let stranger: SessionUser;
const tokens = new Map<SessionUser, string>();

type Handler = (request: Request, segment: { params: Promise<never> }) => Promise<Response>;
const origin = 'http://arena.test';

async function get(user: SessionUser | null, url: string, route: { GET?: unknown }, accept = 'application/json'): Promise<Response> {
  const headers: Record<string, string> = { accept };
  if (user) headers.authorization = `Bearer ${tokens.get(user)}`;
  return (route.GET as Handler)(new Request(`${origin}${url}`, { headers }), { params: Promise.resolve({} as never) });
}

/** Reads server-sent events as they arrive. */
function eventReader(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: Array<{ event: string; data: unknown }> = [];
  const next = async (): Promise<{ event: string; data: unknown } | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (!event || data === undefined) continue;
        const parsed = { event, data: JSON.parse(data) as unknown };
        events.push(parsed);
        return parsed;
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return { next, events, cancel: () => reader.cancel() };
}

beforeAll(async () => {
  const { getDatabase } = await import('@/lib/server/database');
  processDb = await getDatabase();
  // The route handlers hand accepted uploads to the process's queue; this suite scores by hand.
  setScoringQueueRuntime({ queue: makeRecordingQueue() } as unknown as ScoringQueueRuntime);
  slug = (await createToyChallenge(processDb, dataDir, { slug: 'live-toy' }, { trainEvents: 300, testEvents: 400 })).slug;
  owner = await createTestUser(processDb, 'participant', 'Owner');
  mate = await createTestUser(processDb, 'participant', 'Mate');
  stranger = await createTestUser(processDb, 'participant', 'Stranger');
  for (const user of [owner, mate, stranger]) tokens.set(user, (await createApiToken(makeContext(processDb, dataDir, user, makeRecordingQueue()), { name: 't' })).token);
  const team = await createTeam(makeContext(processDb, dataDir, owner, makeRecordingQueue()), { challengeSlug: slug, name: 'Live team' });
  await joinTeam(makeContext(processDb, dataDir, mate, makeRecordingQueue()), { inviteCode: (team as { inviteCode: string }).inviteCode });
  const folder = path.join(dataDir, 'datasets', 'higgs-tautau-toy', '1.0.0');
  const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
  csv = ['id,score', ...ids.map((id, i) => `${id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n';
});

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('live submission status', () => {
  it('streams queued → scoring → scored with the scores by name and interval, then done, over text/event-stream', async () => {
    const ctx = makeContext(processDb, dataDir, owner, makeRecordingQueue());
    const created = await createSubmission(ctx, { challengeSlug: slug, fileName: 'live.csv', body: new TextEncoder().encode(csv) });
    const route = await import('@/app/api/v1/me/submissions/status/route');
    const response = await get(owner, `/api/v1/me/submissions/status?ids=${created.id}`, route, 'text/event-stream');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toContain('no-transform');
    const stream = eventReader(response);
    expect(await stream.next()).toMatchObject({ event: 'status', data: { id: created.id, status: 'queued', error: null, publicValues: {} } });
    await processDb.db.update(submissions).set({ status: 'scoring' }).where(eq(submissions.id, created.id));
    expect(await stream.next()).toMatchObject({ event: 'status', data: { status: 'scoring' } });
    await scoreSubmission({ db: processDb.db, dataDir }, created.id);
    const scored = (await stream.next()) as { event: string; data: LiveSubmissionDto };
    expect(scored.event).toBe('status');
    expect(scored.data.status).toBe('scored');
    const primary = scored.data.metrics[0];
    expect(primary).toMatchObject({ id: 'ams_best', label: 'Best AMS', directionText: 'higher is better' });
    const value = scored.data.publicValues[primary?.id ?? ''];
    expect(value?.value).toEqual(expect.any(Number));
    expect(value?.ciLow).toBeLessThanOrEqual(value?.ciHigh ?? -1);
    expect(await stream.next()).toMatchObject({ event: 'done', data: { followed: 1 } });
    expect(await stream.next()).toBeNull();
  });

  it('streams a failure with its reason', async () => {
    const ctx = makeContext(processDb, dataDir, owner, makeRecordingQueue());
    const created = await createSubmission(ctx, { challengeSlug: slug, fileName: 'doomed.csv', body: new TextEncoder().encode(csv) });
    const route = await import('@/app/api/v1/me/submissions/status/route');
    const stream = eventReader(await get(owner, `/api/v1/me/submissions/status?ids=${created.id}`, route, 'text/event-stream'));
    expect(await stream.next()).toMatchObject({ data: { status: 'queued' } });
    await processDb.db.update(submissions).set({ status: 'failed', error: 'The stored file could not be read.', finishedAt: new Date() }).where(eq(submissions.id, created.id));
    expect(await stream.next()).toMatchObject({ event: 'status', data: { status: 'failed', error: 'The stored file could not be read.' } });
    expect(await stream.next()).toMatchObject({ event: 'done' });
  });

  it("follows only the caller's and their team's submissions, naming none of the others; the JSON snapshot is the polling fallback", async () => {
    const created = await createSubmission(makeContext(processDb, dataDir, owner, makeRecordingQueue()), { challengeSlug: slug, fileName: 'team.csv', body: new TextEncoder().encode(csv) });
    const route = await import('@/app/api/v1/me/submissions/status/route');
    const unknown = '00000000-0000-4000-8000-000000000000';
    const url = `/api/v1/me/submissions/status?ids=${created.id},${unknown}`;
    const snapshot = async (user: SessionUser) => ((await (await get(user, url, route)).json()) as LiveSubmissionDto[]).map((s) => [s.id, s.status]);
    expect(await snapshot(owner)).toEqual([[created.id, 'queued']]);
    expect(await snapshot(mate)).toEqual([[created.id, 'queued']]);
    expect(await snapshot(stranger)).toEqual([]);
    // Nobody to follow: the stream says so and ends at once.
    const stream = eventReader(await get(stranger, url, route, 'text/event-stream'));
    expect(await stream.next()).toMatchObject({ event: 'done', data: { followed: 0 } });
    expect((await get(null, url, route)).status).toBe(401);
    const bad = await get(owner, '/api/v1/me/submissions/status?ids=not-an-id', route);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('The query parameter "ids" must be 1 to 50 submission ids');
    expect(await getLiveSubmissions(makeContext(processDb, dataDir, stranger, makeRecordingQueue()), [created.id])).toEqual([]);
  });
});

describe('My submissions: descriptions, names, intervals and filters', () => {
  it('keeps the description given at upload (web, API, CLI) and shows it with scores by metric name and interval', async () => {
    const ctx = makeContext(processDb, dataDir, owner, makeRecordingQueue());
    const created = await createSubmission(ctx, { challengeSlug: slug, fileName: 'described.csv', description: '  BDT, 400 trees, no DER_ features  ', body: new TextEncoder().encode(csv) });
    expect(created.description).toBe('BDT, 400 trees, no DER_ features');
    await scoreSubmission({ db: processDb.db, dataDir }, created.id);
    const [mine] = await listMySubmissions(ctx, { challenge: slug, status: 'scored' }).then((list) => list.filter((s) => s.id === created.id));
    expect(mine?.description).toBe('BDT, 400 trees, no DER_ features');
    expect(mine?.metrics.map((m) => m.label)).toContain('ROC AUC');
    const auc = mine?.publicValues.auc;
    expect(auc?.value).toBeGreaterThan(0);
    expect(auc?.ciLow).toBeLessThanOrEqual(auc?.value ?? 0);
    expect(auc?.ciHigh).toBeGreaterThanOrEqual(auc?.value ?? 0);
    expect(mine?.privateValues).toBeNull();
  });

  it('filters by challenge and by status, through the API and the export, which carries descriptions and direction words', async () => {
    const ctx = makeContext(processDb, dataDir, owner, makeRecordingQueue());
    const queued = await createSubmission(ctx, { challengeSlug: slug, fileName: 'waiting.csv', description: '=HYPERLINK("x")', body: new TextEncoder().encode(csv) });
    const all = await listMySubmissions(ctx);
    expect(all.some((s) => s.status === 'scored') && all.some((s) => s.status === 'queued')).toBe(true);
    expect((await listMySubmissions(ctx, { status: 'queued' })).every((s) => s.status === 'queued')).toBe(true);
    expect((await listMySubmissions(ctx, { status: 'queued' })).map((s) => s.id)).toContain(queued.id);
    expect(await listMySubmissions(ctx, { challenge: 'no-such-challenge' })).toEqual([]);

    const api = await import('@/app/api/v1/me/submissions/route');
    const scoredOnly = (await (await get(owner, `/api/v1/me/submissions?challenge=${slug}&status=scored`, api)).json()) as Array<{ status: string }>;
    expect(scoredOnly.length).toBeGreaterThan(0);
    expect(scoredOnly.every((s) => s.status === 'scored')).toBe(true);
    expect((await get(owner, '/api/v1/me/submissions?status=done', api)).status).toBe(400);

    const exported = await import('@/app/(site)/submissions/export/route');
    const csvText = await (await get(owner, `/submissions/export?challenge=${slug}&format=csv`, exported)).text();
    const [header, ...lines] = csvText.trim().split('\r\n');
    expect(header).toBe('submission_id,submitted_at,challenge,phase,file_name,description,status,error,submitted_by,team,final,split,metric,metric_name,better,value,ci_low,ci_high');
    expect(lines.some((l) => l.includes('"BDT, 400 trees, no DER_ features"') && l.includes(',ROC AUC,higher is better,'))).toBe(true);
    // A description that a spreadsheet would run as a formula is neutralised; the queued entry has one row without scores.
    expect(lines.find((l) => l.startsWith(queued.id))).toMatch(/,"'=HYPERLINK\(""x""\)",queued,,Owner,Live team,false,,,,,,,$/);
    const json = (await (await get(owner, `/submissions/export?status=queued&format=json`, exported)).json()) as Array<{ id: string; description: string }>;
    expect(json.map((s) => s.id)).toContain(queued.id);
  });

  it('refuses a description that is too long or not one line, naming the problem, and stores nothing', async () => {
    const ctx = makeContext(processDb, dataDir, owner, makeRecordingQueue());
    const before = (await listMySubmissions(ctx)).length;
    await expect(createSubmission(ctx, { challengeSlug: slug, fileName: 'long.csv', description: 'x'.repeat(501), body: new TextEncoder().encode(csv) })).rejects.toMatchObject({
      code: 'INVALID_SUBMISSION',
      message: expect.stringContaining('description: the description is longer than 500 characters'),
    });
    await expect(createSubmission(ctx, { challengeSlug: slug, fileName: 'lines.csv', description: 'two\nlines', body: new TextEncoder().encode(csv) })).rejects.toMatchObject({
      message: expect.stringContaining('the description must be one line without control characters'),
    });
    expect((await listMySubmissions(ctx)).length).toBe(before);
  });

  it('takes the description from ?description= or the X-Description header of an API upload', async () => {
    const route = await import('@/app/api/v1/challenges/[slug]/submissions/route');
    const post = (url: string, headers: Record<string, string> = {}) =>
      (route.POST as unknown as (r: Request, s: { params: Promise<{ slug: string }> }) => Promise<Response>)(
        new Request(`${origin}${url}`, { method: 'POST', headers: { authorization: `Bearer ${tokens.get(stranger)}`, ...headers }, body: csv, duplex: 'half' } as RequestInit),
        { params: Promise.resolve({ slug }) },
      );
    const viaQuery = await post(`/api/v1/challenges/${slug}/submissions?fileName=q.csv&description=${encodeURIComponent('via the query, ünïcode')}`);
    expect(viaQuery.status).toBe(202);
    expect(((await viaQuery.json()) as { description: string }).description).toBe('via the query, ünïcode');
    const viaHeader = await post(`/api/v1/challenges/${slug}/submissions?fileName=h.csv`, { 'x-description': encodeURIComponent('via the header, ünïcode') });
    expect(((await viaHeader.json()) as { description: string; source: string }).description).toBe('via the header, ünïcode');
    // A token holder cannot pass entries off as the training page's browser baseline.
    const faked = await post(`/api/v1/challenges/${slug}/submissions?fileName=b.csv&source=browser-baseline`);
    expect(faked.status).toBe(400);
  });
});
