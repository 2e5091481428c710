import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { challenges, phases, submissions } from '@/db/schema';
import type { ScoringQueue, SessionUser } from '@/lib/server/context';
import { recoverStuckSubmissions, requeueAfterMs } from '@/lib/server/jobs/recover-stuck-submissions';
import { type ScoringQueueRuntime, scoringQueueName, startScoringQueue } from '@/lib/server/jobs/scoring-queue';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { lockCompetitors } from '@/lib/server/submissions/lock-competitors';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { isAppError } from '@/lib/shared/app-error';
import type { SubmissionDto } from '@/lib/shared/dto/submission-dto';
import { createTestUser, createToyChallenge, makeContext, makeDataDir } from '../support/factories';
import { testDatabaseKind } from '../support/test-database';

/**
 * PostgreSQL restarted in the middle of a batch of uploads (issue #7): every upload either completes, fully recorded
 * (row, stored file, scoring job), or fails with a clear "not recorded, try again" message and leaves nothing behind;
 * afterwards the same connection pool serves uploads again. The suite restarts a PostgreSQL 15 cluster of its own
 * (never the shared TEST_DATABASE_URL server that other suites use at the same time), so it runs only with the
 * PostgreSQL suites.
 */
type Upload = { sha256: string; sizeBytes: number; startedAt: number; settledAt: number; result?: SubmissionDto; error?: unknown };

const run = promisify(execFile);
const pgData = path.join(os.tmpdir(), `hep-arena-restart-pg-${crypto.randomBytes(6).toString('hex')}`);
let pgEnv: NodeJS.ProcessEnv;
let url: string;
let handle: DatabaseHandle;
/** A second pool on the same database, standing in for another request that holds a competitor's lock. */
let lockHolder: DatabaseHandle;
let phaseId: string;
let dataDir: string;
let server: ScoringQueueRuntime;
let definition: ChallengeDefinition;
let users: SessionUser[];
let testIds: number[];
let uploadCount = 0;

/** Runs .ci/start-postgres.sh (start, stop, restart) against this suite's own cluster. */
const controlCluster = async (...args: string[]) => (await run('bash', ['.ci/start-postgres.sh', ...args], { env: pgEnv })).stdout.trim();

async function findFreePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A valid predictions file whose bytes differ from every other upload's, so each upload owns its blob. */
function nextPredictions(): Uint8Array {
  const k = uploadCount++;
  return new TextEncoder().encode(['id,score', ...testIds.map((id, row) => `${id},${((row * 7919 + k * 104_729) % 1000) / 1000}`)].join('\n') + '\n');
}

function upload(app: DatabaseHandle, user: SessionUser, queue: ScoringQueue = server.queue): { record: Upload; settled: Promise<void> } {
  const body = nextPredictions();
  const record: Upload = { sha256: crypto.createHash('sha256').update(body).digest('hex'), sizeBytes: body.length, startedAt: performance.now(), settledAt: Number.NaN };
  const ctx = makeContext(app, dataDir, user, queue);
  const settled = createSubmission(ctx, { challengeSlug: definition.slug, fileName: `p${uploadCount}.csv`, body }).then(
    (result) => void (record.result = result),
    (error: unknown) => void (record.error = error),
  ).finally(() => void (record.settledAt = performance.now()));
  return { record, settled };
}

const listFiles = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)) : [];

const blobPathOf = (sha256: string) => path.join(dataDir, 'blobs', sha256.slice(0, 2), sha256);

const isDatabaseDown = () => handle.db.execute(sql`select 1`).then(() => false, () => true);

const countLockWaiters = async () => {
  const { rows } = await handle.sql.executeSql(`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted`);
  return (rows as { n: number }[])[0]?.n ?? 0;
};

/** 'settled' when the promise settles within `ms`, else 'pending' (without waiting for it any longer). */
const settleWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => 'settled', () => 'settled'), new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms).unref())]);

const sha256OfFile = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

describe.skipIf(testDatabaseKind !== 'postgres')('uploads while PostgreSQL restarts', () => {
  beforeAll(async () => {
    // synchronous_commit=on: an upload answered "recorded" must survive `-m immediate` (the CI server trades that for speed).
    pgEnv = { ...process.env, PGDATA: pgData, PGPORT: String(await findFreePort()), PG_SERVER_OPTIONS: '-c synchronous_commit=on' };
    url = await controlCluster('start');
    handle = await openDatabase({ url, dataDir: '' });
    await handle.migrate();
    dataDir = makeDataDir();
    const openPhases = [{ key: 'open', title: 'Open', opensAt: '2020-01-01T00:00:00Z', closesAt: null, maxPerDay: 1_000, maxTotal: null }];
    definition = await createToyChallenge(handle, dataDir, { slug: 'restart-toy', phases: openPhases }, { trainEvents: 300, testEvents: 300 });
    const folder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
    testIds = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
    lockHolder = await openDatabase({ url, dataDir: '' });
    const [phase] = await handle.db
      .select({ id: phases.id })
      .from(phases)
      .innerJoin(challenges, eq(challenges.id, phases.challengeId))
      .where(and(eq(challenges.slug, definition.slug), eq(phases.key, 'open')));
    phaseId = phase?.id ?? '';
    users = await Promise.all(Array.from({ length: 8 }, () => createTestUser(handle)));
    // The web server's role: it only enqueues, through pg-boss's own pool on the same cluster.
    server = await startScoringQueue(handle, { dataDir, isWorker: false, pollingIntervalSeconds: 0.5, maintenanceIntervalSeconds: 1 });
  }, 90_000);

  afterAll(async () => {
    // Bounded, so that the cluster is stopped and removed even when a connection was never given back.
    await settleWithin(server?.stop() ?? Promise.resolve(), 30_000);
    await settleWithin(handle?.close() ?? Promise.resolve(), 5_000);
    await settleWithin(lockHolder?.close() ?? Promise.resolve(), 5_000);
    if (pgEnv) await controlCluster('stop').catch(() => undefined);
    fs.rmSync(pgData, { recursive: true, force: true });
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['fast', 'immediate'])(
    'completes or cleanly refuses every upload across `pg_ctl restart -m %s`, leaving no row without its file and no file without its row',
    async (mode) => {
      // The web server's own handle, as in production: its pool lives through the restart.
      const app = await openDatabase({ url, dataDir: '' });
      const stream: Upload[] = [];
      const blocked: Upload[] = [];
      const settling: Promise<void>[] = [];
      const start = (user: SessionUser, into: Upload[], queue?: ScoringQueue) => {
        const { record, settled } = upload(app, user, queue);
        into.push(record);
        settling.push(settled);
      };
      const keepStreaming = async () => {
        for (let n = 0; n < 2 && stream.filter((u) => Number.isNaN(u.settledAt)).length < 4; n++) start(users[stream.length % users.length] as SessionUser, stream);
        await new Promise((resolve) => setTimeout(resolve, 20));
      };
      const waitFor = async (what: string, check: () => boolean | Promise<boolean>) => {
        for (let tick = 0; !(await check()); tick++) {
          if (tick > 500) throw new Error(`timed out waiting for ${what}`);
          await keepStreaming();
        }
      };

      // Four uploads of several users are kept in flight from well before the restart until after it.
      await waitFor('uploads to complete before the restart', () => stream.filter((u) => u.result).length >= 6);

      // Another upload of this user holds their competitor lock (here: a transaction that takes it and waits), so their
      // uploads wait inside the transaction with the file already stored: where a lost connection could leave an orphan.
      const blockedUser = await createTestUser(handle);
      let releaseLock = () => {};
      let isLockHeld = false;
      const released = new Promise<void>((resolve) => (releaseLock = resolve));
      const holder = lockHolder.db
        .transaction(async (tx) => {
          await lockCompetitors(tx, [phaseId], [blockedUser.id]);
          isLockHeld = true;
          await released;
        })
        .catch(() => undefined);
      await waitFor('the lock to be held', () => isLockHeld);
      for (let i = 0; i < 3; i++) start(blockedUser, blocked);
      await waitFor('three uploads to wait for the lock', async () => (await countLockWaiters()) === 3);
      for (const u of blocked) expect(fs.existsSync(blobPathOf(u.sha256)), 'the waiting upload has stored its file').toBe(true);

      // One more upload is recorded but held before its hand-off to the scoring queue until the server is down, so
      // the steps after the commit meet the lost connection.
      const committed: Upload[] = [];
      let openGate = () => {};
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let isAtGate = false;
      const gatedQueue: ScoringQueue = {
        async enqueueScoring(submissionId) {
          isAtGate = true;
          await gate;
          await server.queue.enqueueScoring(submissionId);
        },
      };
      start(await createTestUser(handle), committed, gatedQueue);
      await waitFor('the recorded upload to reach the queue', () => isAtGate);

      const restartStartedAt = performance.now();
      let restartEndedAt = Number.NaN;
      const restart = controlCluster('restart', mode).then(() => void (restartEndedAt = performance.now()));
      await waitFor('the server to go down', async () => !Number.isNaN(restartEndedAt) || (await isDatabaseDown()));
      openGate();
      await waitFor('uploads to start after the restart', () => stream.filter((u) => u.startedAt > restartEndedAt).length >= 8);
      await restart;
      releaseLock();
      await holder;
      await Promise.all(settling);

      const uploads = [...stream, ...blocked, ...committed];
      const completed = uploads.filter((u) => u.result);
      const refused = uploads.filter((u) => !u.result);
      // Not vacuous: the restart cut into uploads in flight, others were refused while it lasted, and uploads completed
      // on both sides of it.
      expect(blocked.filter((u) => u.result)).toEqual([]);
      expect(committed.filter((u) => u.error)).toEqual([]);
      expect(stream.filter((u) => !u.result).length).toBeGreaterThan(0);
      expect(completed.some((u) => u.settledAt < restartStartedAt)).toBe(true);
      expect(completed.some((u) => u.startedAt > restartEndedAt)).toBe(true);

      // Refusals happen only because of the restart and say so, in words, without the driver's text.
      for (const u of refused) {
        expect(u.settledAt).toBeGreaterThanOrEqual(restartStartedAt);
        expect(isAppError(u.error), `expected an AppError, got ${String(u.error)}`).toBe(true);
        expect(u.error).toMatchObject({
          code: 'UNAVAILABLE',
          message: 'The database could not be reached, so your upload was not recorded and nothing was kept. Please upload the file again in a minute.',
        });
      }

      // A submission left `received` by a lost status update is queued by the sweep; after it, every recorded upload
      // has a scoring job (or ended `failed` saying the queue refused it).
      await recoverStuckSubmissions({ db: handle.db, queue: server.queue, now: () => new Date(Date.now() + requeueAfterMs + 1_000) });
      const rows = await handle.db.select().from(submissions);
      const jobs = await handle.sql.executeSql(`select data->>'submissionId' as id from pgboss.job where name = $1`, [scoringQueueName]);
      const queuedIds = new Set((jobs.rows as { id: string }[]).map((r) => r.id));
      const batchRows = rows.filter((r) => uploads.some((u) => u.sha256 === r.sha256));
      expect(batchRows.map((r) => r.id).sort()).toEqual(completed.map((u) => u.result?.id).sort());
      for (const u of completed) {
        const row = rows.find((r) => r.id === u.result?.id);
        expect(row).toMatchObject({ sha256: u.sha256, sizeBytes: u.sizeBytes });
        const blob = blobPathOf(u.sha256);
        expect(fs.existsSync(blob), `the stored file of submission ${row?.id}`).toBe(true);
        expect(sha256OfFile(blob)).toBe(u.sha256);
        expect(fs.statSync(blob).size).toBe(u.sizeBytes);
        if (row?.status === 'failed') expect(row.error).toContain('scoring queue did not accept');
        else {
          expect(row?.status).toBe('queued');
          expect(queuedIds.has(row?.id ?? '')).toBe(true);
        }
      }
      // No file without its row, and nothing left half-written in the upload folder.
      const rowShas = new Set(rows.map((r) => r.sha256));
      expect(listFiles(path.join(dataDir, 'blobs')).filter((file) => !rowShas.has(path.basename(file)))).toEqual([]);
      expect(listFiles(path.join(dataDir, 'uploads'))).toEqual([]);

      // The same handle serves the next upload, and every connection went back to its pool (none is held by a
      // transaction that died), so it closes.
      const { record, settled } = upload(app, users[0] as SessionUser);
      await settled;
      expect(record.error).toBeUndefined();
      expect(record.result?.status).toBe('queued');
      expect(await settleWithin(app.close(), 10_000), 'every connection is back in the pool').toBe('settled');
    },
    60_000,
  );

  it('keeps an upload whose COMMIT went through although the connection was lost before the answer, with its file', async () => {
    // The one case a restart cannot be timed to hit: the row is stored, then the answer to COMMIT never arrives.
    const lostAnswer = new Proxy(handle.db, {
      get(target, property, receiver) {
        if (property !== 'transaction') return Reflect.get(target, property, receiver);
        return async (...args: Parameters<typeof target.transaction>) => {
          await target.transaction(...args);
          throw new Error('Connection terminated unexpectedly');
        };
      },
    });
    const body = nextPredictions();
    const sha256 = crypto.createHash('sha256').update(body).digest('hex');
    const ctx = { ...makeContext(handle, dataDir, users[0] as SessionUser, server.queue), db: lostAnswer };
    const created = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'lost-answer.csv', body });
    expect(created.status).toBe('queued');
    const [row] = await handle.db.select().from(submissions).where(eq(submissions.id, created.id));
    expect(row).toMatchObject({ sha256, sizeBytes: body.length });
    expect(sha256OfFile(blobPathOf(sha256))).toBe(sha256);
  });
});
