import fs from 'node:fs';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { submissions } from '@/db/schema';
import { maxScoringAttempts, recoverStuckSubmissions, staleHeartbeatMs } from '@/lib/server/jobs/recover-stuck-submissions';
import { startScoringQueue } from '@/lib/server/jobs/scoring-queue';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { type ChildWithLines, startNodeScript, waitFor } from '../support/child-process';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase, testDatabaseKind } from '../support/test-database';

/**
 * The audit killed every process while submissions were scoring: they stayed `scoring` for the queue's ten-minute job
 * timeout. Now every submission is scored, or failed with a reason, within a minute of a restart: on the embedded
 * database the restarted server queues what was in flight at once; on PostgreSQL a worker that stops renewing its
 * heartbeat is noticed by the others. Interrupted uploads' scratch files are removed too.
 */
type Process = ChildWithLines;
const root = path.resolve(__dirname, '..', '..');
const started: Process[] = [];

function run(args: string[], env: Record<string, string> = {}): Process {
  const proc = startNodeScript(args, { cwd: root, env: { ...process.env, ...env } });
  started.push(proc);
  return proc;
}

afterAll(async () => {
  for (const p of started) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  await Promise.all(started.map((p) => p.exited));
});

/** A challenge whose scoring takes long enough (2,000 bootstrap replicas of 40,000 events) to be killed mid-job. */
async function slowChallenge(handle: DatabaseHandle, dataDir: string): Promise<{ definition: ChallengeDefinition; csv: string }> {
  const phases = [{ key: 'open', title: 'Open', opensAt: '2020-01-01T00:00:00Z', closesAt: null, maxPerDay: 50, maxTotal: null }];
  const definition = await createToyChallenge(
    handle,
    dataDir,
    { slug: 'crash-slow', phases, scoring: { bootstrapReplicas: 2_000, threshold: 0.5, backgroundRelativeUncertainty: 0, variations: [] } },
    { trainEvents: 1_000, testEvents: 40_000 },
  );
  const folder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
  const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
  return { definition, csv: ['id,score', ...ids.map((id, i) => `${id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n' };
}

describe('crash recovery on the embedded database', () => {
  it('a restarted server scores what was scoring when every process was killed, within a minute, and sweeps scratch files', async () => {
    const dataDir = makeDataDir();
    const ids: string[] = [];
    {
      const handle = await openDatabase({ dataDir });
      await handle.migrate();
      const { definition, csv } = await slowChallenge(handle, dataDir);
      const users = [await createTestUser(handle), await createTestUser(handle)];
      for (const [k, user] of users.entries()) {
        // Uploaded as the server would: stored and `queued`, the job in pg-boss's table on the same database.
        const queue = await startScoringQueue(handle, { dataDir, isWorker: false, pollingIntervalSeconds: 0.5 });
        ids.push((await createSubmission(makeContext(handle, dataDir, user, queue.queue), { challengeSlug: definition.slug, fileName: `p${k}.csv`, body: new TextEncoder().encode(csv) })).id);
        await queue.stop();
      }
      await handle.close();
    }
    const first = run(['tests/support/run-embedded-scoring.ts', dataDir]);
    await waitFor('the first job to start', () => first.lines.some((l) => l.startsWith('scoring ')), 180_000);
    first.child.kill('SIGKILL');
    await first.exited;
    // An upload cut off by the crash, and one a day old.
    fs.mkdirSync(path.join(dataDir, 'uploads'), { recursive: true });
    fs.writeFileSync(path.join(dataDir, 'uploads', 'tmp-interrupted'), Buffer.alloc(1000));
    fs.writeFileSync(path.join(dataDir, 'uploads', 'hep-arena-predictions-left'), Buffer.alloc(10));

    const restartedAt = Date.now();
    const second = run(['tests/support/run-embedded-scoring.ts', dataDir]);
    // Without recovery the killed job waits for its 600 s timeout; the bound here is the minute of the target, plus slack.
    await waitFor('both submissions to be scored after the restart', () => ids.every((id) => second.lines.some((l) => l === `scored ${id}`)), 120_000);
    const recoverySeconds = (Date.now() - restartedAt) / 1000;
    second.child.kill('SIGTERM');
    await second.exited;
    const handle = await openDatabase({ dataDir });
    const rows = await handle.db.select({ status: submissions.status, attempts: submissions.scoringAttempts }).from(submissions).where(inArray(submissions.id, ids));
    await handle.close();
    expect(rows.map((r) => r.status)).toEqual(['scored', 'scored']);
    expect(second.lines.some((l) => l.includes('removed 2 scratch file(s) of interrupted uploads'))).toBe(true);
    expect(fs.readdirSync(path.join(dataDir, 'uploads')).filter((n) => n.startsWith('tmp-') || n.startsWith('hep-arena-predictions-'))).toEqual([]);
    console.log(`[crash-recovery] embedded: all scored ${recoverySeconds.toFixed(1)} s after the restart`);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 600_000);
});

describe('the recovery sweep', () => {
  it('queues a scoring submission with a stale heartbeat again, and fails one whose worker died too often, with the reason', async () => {
    const handle = await openTestDatabase();
    const dataDir = makeDataDir();
    try {
      const definition = await createToyChallenge(handle, dataDir, {}, { trainEvents: 200, testEvents: 200 });
      const user = await createTestUser(handle);
      const queue = makeRecordingQueue();
      const folder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
      const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
      const csv = ['id,score', ...ids.map((id) => `${id},0.5`)].join('\n') + '\n';
      const make = async () => (await createSubmission(makeContext(handle, dataDir, user, queue), { challengeSlug: definition.slug, fileName: 'p.csv', body: new TextEncoder().encode(csv) })).id;
      const now = new Date();
      const alive = await make();
      const dead = await make();
      const doomed = await make();
      const set = (id: string, heartbeatAgoMs: number, attempts: number) =>
        handle.db.update(submissions).set({ status: 'scoring', heartbeatAt: new Date(now.getTime() - heartbeatAgoMs), scoringAttempts: attempts }).where(eq(submissions.id, id));
      await set(alive, 2_000, 1);
      await set(dead, staleHeartbeatMs + 1_000, 1);
      await set(doomed, staleHeartbeatMs + 1_000, maxScoringAttempts);
      queue.enqueued.length = 0;
      const result = await recoverStuckSubmissions({ db: handle.db, queue, now: () => now });
      expect(result).toEqual({ requeued: 1, failed: 1 });
      expect(queue.enqueued).toEqual([dead]);
      const byId = new Map((await handle.db.select().from(submissions)).map((r) => [r.id, r]));
      expect(byId.get(alive)?.status).toBe('scoring');
      expect(byId.get(dead)?.status).toBe('queued');
      expect(byId.get(doomed)?.status).toBe('failed');
      expect(byId.get(doomed)?.error).toContain(`Scoring stopped ${maxScoringAttempts} times because the worker scoring it stopped`);
      // At the start of the only worker, whatever was in flight is queued again, however fresh its heartbeat.
      queue.enqueued.length = 0;
      await recoverStuckSubmissions({ db: handle.db, queue, now: () => now, isSoleWorkerStarting: true });
      expect(queue.enqueued.sort()).toEqual([alive, dead].sort());
    } finally {
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(testDatabaseKind !== 'postgres')('crash recovery on PostgreSQL', () => {
  it('with every worker killed mid-job and new ones started, every submission ends scored within a minute, not after the job timeout', async () => {
    const handle = await openTestDatabase();
    const dataDir = makeDataDir();
    try {
      const { definition, csv } = await slowChallenge(handle, dataDir);
      const server = await startScoringQueue(handle, { dataDir, isWorker: false, pollingIntervalSeconds: 0.5 });
      // The default job timeout (600 s): recovery must not wait for it.
      const env = { DATABASE_URL: handle.url ?? '', DATA_DIR: dataDir, SCORING_POLL_SECONDS: '0.5' };
      const first = [run(['scripts/worker.ts'], env), run(['scripts/worker.ts'], env)];
      await waitFor('two workers', () => first.every((w) => w.lines.some((l) => l.includes('ready'))), 120_000);
      const users = [await createTestUser(handle), await createTestUser(handle), await createTestUser(handle)];
      const ids: string[] = [];
      for (const [k, user] of users.entries()) ids.push((await createSubmission(makeContext(handle, dataDir, user, server.queue), { challengeSlug: definition.slug, fileName: `p${k}.csv`, body: new TextEncoder().encode(csv) })).id);
      await waitFor('two jobs to start', () => first.every((w) => w.lines.some((l) => l.startsWith('[worker') && l.includes(' scoring '))), 120_000);
      for (const w of first) w.child.kill('SIGKILL');
      await Promise.all(first.map((w) => w.exited));
      const second = [run(['scripts/worker.ts'], env), run(['scripts/worker.ts'], env)];
      let last: Array<{ status: string; attempts: number; error: string | null }> = [];
      await waitFor('every submission to end scored', async () => {
        last = await handle.db.select({ status: submissions.status, attempts: submissions.scoringAttempts, error: submissions.error }).from(submissions).where(inArray(submissions.id, ids));
        return last.every((r) => r.status === 'scored');
      }, 150_000).catch((error: Error) => {
        // What a failure needs to be understood: where each submission stands and what the workers said last.
        const said = [...first, ...second].map((w, i) => `worker ${i} (exit ${w.child.exitCode}):\n  ${w.lines.slice(-15).join('\n  ')}`).join('\n');
        throw new Error(`${error.message}\nsubmissions: ${JSON.stringify(last)}\n${said}`);
      });
      for (const w of second) w.child.kill('SIGTERM');
      await Promise.all(second.map((w) => w.exited));
      await server.stop();
    } finally {
      await handle.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 600_000);
});
