import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { submissions } from '@/db/schema';
import { recoverStuckSubmissions, requeueAfterMs, giveUpAfterMs } from '@/lib/server/jobs/recover-stuck-submissions';
import { startScoringQueue, type ScoringQueueRuntime } from '@/lib/server/jobs/scoring-queue';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

let handle: DatabaseHandle;
let dataDir: string;
let definition: ChallengeDefinition;
let runtime: ScoringQueueRuntime;
let ids: number[];

/** A valid predictions file; `variant` changes the scores so each upload is a distinct blob. */
function makeCsv(variant: number): string {
  return ['id,score', ...ids.map((id) => `${id},${((id + variant) % 13) / 13}`)].join('\n') + '\n';
}

async function waitForTerminal(id: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await handle.db.select().from(submissions).where(eq(submissions.id, id));
    if (row && (row.status === 'scored' || row.status === 'failed')) return row;
    if (Date.now() > deadline) throw new Error(`submission ${id} still ${row?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  definition = await createToyChallenge(handle, dataDir);
  const table = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version, 'test.arrow'))));
  ids = Array.from(table.columns.id as ArrayLike<number>);
  runtime = await startScoringQueue(handle, { dataDir, isWorker: true, pollingIntervalSeconds: 0.5 });
});

afterAll(async () => {
  await runtime?.stop();
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the pg-boss scoring queue', () => {
  it('takes an upload from queued to scored through a real job', async () => {
    const user = await createTestUser(handle);
    const ctx = makeContext(handle, dataDir, user, runtime.queue);
    const created = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'p.csv', body: new TextEncoder().encode(makeCsv(0)) });
    expect(['queued', 'scoring', 'scored']).toContain(created.status);
    const done = await waitForTerminal(created.id);
    expect(done.status).toBe('scored');
    expect(done.error).toBeNull();
    expect(done.finishedAt).not.toBeNull();
  });

  it('ends a submission failed with a readable reason when its stored file is gone', async () => {
    const user = await createTestUser(handle);
    const held = makeRecordingQueue();
    const ctx = makeContext(handle, dataDir, user, held);
    const created = await createSubmission(ctx, {
      challengeSlug: definition.slug,
      fileName: 'gone.csv',
      body: new TextEncoder().encode(makeCsv(1)),
    });
    fs.rmSync(path.join(dataDir, 'blobs', created.sha256.slice(0, 2), created.sha256));
    await runtime.queue.enqueueScoring(created.id);
    const done = await waitForTerminal(created.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/missing from the blob store/);
  });

  it('re-queues a submission whose hand-off to the queue was lost, and never leaves one in between', async () => {
    const user = await createTestUser(handle);
    const lost = { async enqueueScoring() {} };
    const ctx = makeContext(handle, dataDir, user, lost);
    const created = await createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'lost.csv', body: new TextEncoder().encode(makeCsv(2)) });
    // Simulate a crash between recording and queueing.
    await handle.db.update(submissions).set({ status: 'received', createdAt: new Date(Date.now() - requeueAfterMs - 1000) }).where(eq(submissions.id, created.id));
    const swept = await recoverStuckSubmissions({ db: handle.db, queue: runtime.queue, now: () => new Date() });
    expect(swept.requeued).toBeGreaterThanOrEqual(1);
    expect((await waitForTerminal(created.id)).status).toBe('scored');

    // One that no worker ever finishes is failed with a reason after the give-up time.
    const stuck = await createSubmission(makeContext(handle, dataDir, user, lost), { challengeSlug: definition.slug, fileName: 'stuck.csv', body: new TextEncoder().encode(makeCsv(3)) });
    await handle.db.update(submissions).set({ status: 'scoring', createdAt: new Date(Date.now() - giveUpAfterMs - 1000) }).where(eq(submissions.id, stuck.id));
    await recoverStuckSubmissions({ db: handle.db, queue: makeRecordingQueue(), now: () => new Date() });
    const [row] = await handle.db.select().from(submissions).where(eq(submissions.id, stuck.id));
    expect(row?.status).toBe('failed');
    expect(row?.error).toMatch(/did not finish/);
  });
});
