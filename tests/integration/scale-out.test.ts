import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { submissions } from '@/db/schema';
import type { SessionUser } from '@/lib/server/context';
import { type ScoringQueueRuntime, startScoringQueue } from '@/lib/server/jobs/scoring-queue';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { type ChildWithLines, startNodeScript, waitFor } from '../support/child-process';
import { createTestUser, createToyChallenge, makeContext, makeDataDir } from '../support/factories';
import { openTestDatabase, testDatabaseKind } from '../support/test-database';

/**
 * Scale-out on PostgreSQL: this process plays the web server (it only enqueues) and `npm run worker` processes
 * score. Workers share one pg-boss queue; a worker killed with SIGKILL mid-job loses nothing (the job expires and
 * another worker retries it); SIGTERM finishes the current job before exiting. PGlite allows one process per data
 * directory, so these suites run only against PostgreSQL (CI runs them there).
 */
type Worker = ChildWithLines;

let handle: DatabaseHandle;
let dataDir: string;
let server: ScoringQueueRuntime;
let fast: ChallengeDefinition;
let slow: ChallengeDefinition;
let csv: string;
const workers: Worker[] = [];

function startWorker(databaseUrl = handle.url ?? ''): Worker {
  const worker = startNodeScript(['scripts/worker.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      SCORING_POLL_SECONDS: '0.5',
      SCORING_JOB_TIMEOUT_SECONDS: '4',
      QUEUE_MAINTENANCE_SECONDS: '1',
    },
  });
  workers.push(worker);
  return worker;
}

const statuses = async (ids: string[]) => (await handle.db.select({ id: submissions.id, status: submissions.status }).from(submissions).where(inArray(submissions.id, ids))).map((r) => r.status);

async function submit(user: SessionUser, challenge: ChallengeDefinition, name: string): Promise<string> {
  const created = await createSubmission(makeContext(handle, dataDir, user, server.queue), { challengeSlug: challenge.slug, fileName: name, body: new TextEncoder().encode(csv) });
  return created.id;
}

describe.skipIf(testDatabaseKind !== 'postgres')('workers on PostgreSQL', () => {
  beforeAll(async () => {
    handle = await openTestDatabase();
    dataDir = makeDataDir();
    const phases = [{ key: 'open', title: 'Open', opensAt: '2020-01-01T00:00:00Z', closesAt: null, maxPerDay: 50, maxTotal: null }];
    const sizes = { trainEvents: 1_000, testEvents: 40_000 };
    fast = await createToyChallenge(handle, dataDir, { slug: 'scale-fast', phases, scoring: { bootstrapReplicas: 20, threshold: 0.5, backgroundRelativeUncertainty: 0, variations: [] } }, sizes);
    // Enough bootstrap work that a job is still running when the test kills its worker.
    slow = await createToyChallenge(handle, dataDir, { slug: 'scale-slow', phases, scoring: { bootstrapReplicas: 2_000, threshold: 0.5, backgroundRelativeUncertainty: 0, variations: [] } }, sizes);
    const folder = path.join(dataDir, 'datasets', fast.dataset.id, fast.dataset.version);
    const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
    csv = ['id,score', ...ids.map((id, i) => `${id},${((i * 7919) % 1000) / 1000}`)].join('\n') + '\n';
    server = await startScoringQueue(handle, { dataDir, isWorker: false, pollingIntervalSeconds: 0.5, jobTimeoutSeconds: 4, maintenanceIntervalSeconds: 1 });
    for (let i = 0; i < 3; i++) startWorker();
    await waitFor('three workers to start', () => workers.every((w) => w.lines.some((l) => l.includes('ready'))), 120_000);
  }, 240_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await server?.stop();
    await handle?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts four workers together on an empty database: one sets it up at a time, none fails', async () => {
    const serverUrl = new URL(process.env.TEST_DATABASE_URL ?? '');
    const name = `empty_${crypto.randomBytes(6).toString('hex')}`;
    const admin = new Client({ connectionString: serverUrl.toString() });
    await admin.connect();
    await admin.query(`create database ${name}`);
    serverUrl.pathname = `/${name}`;
    const together = Array.from({ length: 4 }, () => startWorker(serverUrl.toString()));
    try {
      await waitFor('four workers to start or fail', () => together.every((w) => w.child.exitCode !== null || w.lines.some((l) => l.includes('ready'))), 120_000);
      for (const w of together) expect(w.child.exitCode, w.lines.join('\n')).toBeNull();
    } finally {
      for (const w of together) w.child.kill('SIGKILL');
      await Promise.all(together.map((w) => w.exited));
      workers.splice(0, workers.length, ...workers.filter((w) => !together.includes(w)));
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    }
  }, 180_000);

  it('scores every submission of one server with three workers, each exactly once', async () => {
    const users = [await createTestUser(handle), await createTestUser(handle), await createTestUser(handle)];
    const ids: string[] = [];
    for (let i = 0; i < 9; i++) ids.push(await submit(users[i % 3] as SessionUser, fast, `p${i}.csv`));
    await waitFor('all nine to be scored', async () => (await statuses(ids)).every((s) => s === 'scored'), 90_000);
    // A worker logs `scored <id>` just after it stores the score, so the log may trail the database by a moment.
    const finished = () => workers.flatMap((w) => w.lines.filter((l) => / scored /.test(l)));
    await waitFor('each of the nine to be logged as scored', () => ids.every((id) => finished().some((l) => l.endsWith(id))), 30_000);
    for (const id of ids) expect(finished().filter((l) => l.endsWith(id))).toHaveLength(1);
  }, 180_000);

  it('retries the job of a worker killed with SIGKILL mid-scoring on another worker, and the submission ends scored', async () => {
    const user = await createTestUser(handle);
    const id = await submit(user, slow, 'slow.csv');
    let victim: Worker | undefined;
    await waitFor('a worker to start the job', () => {
      victim = workers.find((w) => w.child.exitCode === null && w.lines.some((l) => l.endsWith(`scoring ${id}`)));
      return victim !== undefined;
    }, 90_000);
    victim?.child.kill('SIGKILL');
    await victim?.exited;
    expect(victim?.lines.some((l) => l.endsWith(`scored ${id}`))).toBe(false);
    await waitFor('the retried job to finish', async () => (await statuses([id]))[0] === 'scored', 120_000);
    const [row] = await handle.db.select().from(submissions).where(eq(submissions.id, id));
    expect(row?.status).toBe('scored');
    await waitFor('another worker to log the retried job as scored', () => workers.filter((w) => w !== victim).some((w) => w.lines.some((l) => l.endsWith(`scored ${id}`))), 30_000);
  }, 240_000);

  it('finishes the current job on SIGTERM before the worker exits', async () => {
    const spare = startWorker();
    await waitFor('the spare worker to start', () => spare.lines.some((l) => l.includes('ready')), 120_000);
    const user = await createTestUser(handle);
    const id = await submit(user, slow, 'graceful.csv');
    let busy: Worker | undefined;
    await waitFor('a worker to start the job', () => {
      busy = workers.find((w) => w.child.exitCode === null && w.lines.some((l) => l.endsWith(`scoring ${id}`)));
      return busy !== undefined;
    }, 90_000);
    busy?.child.kill('SIGTERM');
    expect(await busy?.exited).toBe(0);
    expect(busy?.lines.some((l) => l.endsWith(`scored ${id}`))).toBe(true);
    expect((await statuses([id]))[0]).toBe('scored');
  }, 240_000);
});
