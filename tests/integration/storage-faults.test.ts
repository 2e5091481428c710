import fs from 'node:fs';
import path from 'node:path';
import { count } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatabaseHandle } from '@/db/client';
import { submissions } from '@/db/schema';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase } from '../support/test-database';

/** Faults of the blob store and the queue: an upload either completes or fails with a clear message, leaving nothing. */
let handle: DatabaseHandle;
let dataDir: string;
let definition: ChallengeDefinition;
let csv: Uint8Array;

const submissionCount = async () => (await handle.db.select({ n: count() }).from(submissions))[0]?.n ?? 0;
const uploadsLeft = () => (fs.existsSync(path.join(dataDir, 'uploads')) ? fs.readdirSync(path.join(dataDir, 'uploads')) : []);

beforeAll(async () => {
  handle = await openTestDatabase();
  dataDir = makeDataDir();
  definition = await createToyChallenge(handle, dataDir, {}, { trainEvents: 300, testEvents: 300 });
  const folder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
  const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
  csv = new TextEncoder().encode(['id,score', ...ids.map((id, i) => `${id},${(i % 10) / 10}`)].join('\n') + '\n');
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('storage and queue faults', () => {
  it('rejects an upload whose blob cannot be written, records nothing and leaves no temporary file', async () => {
    const blobs = path.join(dataDir, 'blobs');
    fs.rmSync(blobs, { recursive: true, force: true });
    // A file where the blob folder should be: every blob write fails (as on a full or read-only disk).
    fs.writeFileSync(blobs, 'not a folder');
    try {
      const before = await submissionCount();
      const ctx = makeContext(handle, dataDir, await createTestUser(handle), makeRecordingQueue());
      await expect(createSubmission(ctx, { challengeSlug: definition.slug, fileName: 'p.csv', body: csv })).rejects.toMatchObject({
        code: 'INTERNAL',
        message: 'The uploaded file could not be stored; nothing was recorded. Please try again.',
      });
      expect(await submissionCount()).toBe(before);
      expect(uploadsLeft()).toEqual([]);
    } finally {
      fs.rmSync(blobs, { force: true });
    }
  });

  it('ends a submission failed, with a reason and without using a slot, when the queue refuses the job', async () => {
    const user = await createTestUser(handle);
    const brokenQueue = {
      async enqueueScoring() {
        throw new Error('connection to the queue lost');
      },
    };
    const created = await createSubmission(makeContext(handle, dataDir, user, brokenQueue), { challengeSlug: definition.slug, fileName: 'p.csv', body: csv });
    expect(created.status).toBe('failed');
    expect(created.error).toContain('does not count towards your limit');
    const again = await createSubmission(makeContext(handle, dataDir, user, makeRecordingQueue()), { challengeSlug: definition.slug, fileName: 'p.csv', body: csv });
    expect(again.status).toBe('queued');
  });
});
