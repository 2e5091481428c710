import fs from 'node:fs';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChallengeDefinition } from '@/challenges/schema';
import { openDatabase, type DatabaseHandle } from '@/db/client';
import { challenges, phases, submissions } from '@/db/schema';
import { blobFilePath, sha256Hex } from '@/lib/server/storage/blob-store';
import { createSubmission } from '@/lib/server/submissions/create-submission';
import { lockCompetitors } from '@/lib/server/submissions/lock-competitors';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { createTestUser, createToyChallenge, makeContext, makeDataDir, makeRecordingQueue } from '../support/factories';
import { openTestDatabase, testDatabaseKind } from '../support/test-database';

/**
 * Two participants upload the same bytes at the same time and one of the uploads fails inside its transaction (its
 * limit was used up meanwhile): the stored file is shared, and the failed upload must not delete the file the other
 * one's row points at. The failing upload is held at its competitor lock by a second connection, so this needs
 * PostgreSQL (PGlite has one connection); CI runs it there.
 */
let handle: DatabaseHandle;
let holder: DatabaseHandle;
let dataDir: string;
let definition: ChallengeDefinition;
let csv: Uint8Array;

const waitingForLocks = async () => {
  const result = await handle.db.execute(
    sql`select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`,
  );
  return ((result as unknown as { rows: Array<{ n: number }> }).rows[0]?.n ?? 0) as number;
};

async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  for (let tick = 0; !(await check()); tick++) {
    if (tick > 400) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(testDatabaseKind !== 'postgres')('uploads of the same bytes share one stored file', () => {
  beforeAll(async () => {
    handle = await openTestDatabase();
    holder = await openDatabase({ url: handle.url ?? '', dataDir: '' });
    dataDir = makeDataDir();
    definition = await createToyChallenge(
      handle,
      dataDir,
      { slug: 'shared-files-toy', phases: [{ key: 'open', title: 'Open', opensAt: '2020-01-01T00:00:00Z', closesAt: null, maxPerDay: 1, maxTotal: null }] },
      { trainEvents: 300, testEvents: 300 },
    );
    const folder = path.join(dataDir, 'datasets', definition.dataset.id, definition.dataset.version);
    const ids = Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(folder, 'test.arrow')))).columns.id as ArrayLike<number>);
    csv = new TextEncoder().encode(`id,score\n${ids.map((id, i) => `${id},${(i % 97) / 97}`).join('\n')}\n`);
  }, 90_000);

  afterAll(async () => {
    await holder?.close();
    await handle?.close();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the file of the recorded upload when the other upload of the same bytes fails after storing it', async () => {
    const [phase] = await handle.db
      .select({ id: phases.id })
      .from(phases)
      .innerJoin(challenges, eq(challenges.id, phases.challengeId))
      .where(and(eq(challenges.slug, definition.slug), eq(phases.key, 'open')));
    const late = await createTestUser(handle, 'participant', 'Late');
    const other = await createTestUser(handle, 'participant', 'Other');
    const upload = (user: typeof late) =>
      createSubmission(makeContext(handle, dataDir, user, makeRecordingQueue()), { challengeSlug: definition.slug, fileName: 'same.csv', body: csv });

    // "Late" is held at their competitor lock (a selection of finals in another connection, say) ...
    let release = () => {};
    let isHeld = false;
    const released = new Promise<void>((resolve) => (release = resolve));
    const holding = holder.db.transaction(async (tx) => {
      await lockCompetitors(tx, [phase?.id ?? ''], [late.id]);
      isHeld = true;
      await released;
    });
    await waitUntil('the lock to be held', async () => isHeld);
    const lateUpload = upload(late).then(
      (s) => ({ ok: true as const, s }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await waitUntil('the late upload to wait at the lock', async () => (await waitingForLocks()) >= 1);
    // ... while their daily limit is used up by an entry recorded meanwhile ...
    await handle.db.insert(submissions).values({
      challengeId: (await handle.db.select().from(challenges).where(eq(challenges.slug, definition.slug)))[0]?.id ?? '',
      phaseId: phase?.id ?? '',
      userId: late.id,
      fileName: 'earlier.csv',
      sha256: 'f'.repeat(64),
      sizeBytes: 1,
      rows: 1,
      status: 'queued',
      challengeRevision: definition.revision,
    });
    // ... and another participant uploads the very same bytes.
    const otherUpload = upload(other);
    await Promise.race([otherUpload.catch(() => undefined), waitUntil('the other upload to wait behind the first', async () => (await waitingForLocks()) >= 2)]);
    release();
    await holding;

    const [lateResult, recorded] = await Promise.all([lateUpload, otherUpload]);
    expect(lateResult.ok).toBe(false);
    expect(lateResult.ok ? null : lateResult.error).toMatchObject({ code: 'LIMIT_REACHED' });
    const stored = blobFilePath(dataDir, sha256Hex(csv));
    expect(fs.existsSync(stored), 'the recorded upload still has its file').toBe(true);
    expect(sha256Hex(new Uint8Array(fs.readFileSync(stored)))).toBe(recorded.sha256);
    expect(fs.readdirSync(path.join(dataDir, 'uploads')), 'no scratch file is left').toEqual([]);
  });
});
