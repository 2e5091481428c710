import 'server-only';
import { eq, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissions } from '@/db/schema';
import { deleteBlob } from '../storage/blob-store';
import { retryWhileUnavailable } from './retry-while-unavailable';

/**
 * Advisory lock space of stored files, apart from the one-key locks of lockCompetitors (PostgreSQL keeps one-key and
 * two-key advisory locks apart, so no hash of one can collide with the other).
 */
const storedFileLockSpace = 7201;

/**
 * The lock per stored file (content hash), transaction-scoped. Uploads store their file and insert the row that
 * points at it while holding it, and a failed upload deletes a file it stored only under it after seeing that no row
 * points at the file: so two uploads of the same bytes can never leave a row without its file. Uploads take it
 * before their competitor lock, never after.
 */
export async function lockStoredFile(tx: Pick<Database, 'execute'>, sha256: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${storedFileLockSpace}, hashtext(${sha256}))`);
}

/**
 * Deletes the stored file of a failed upload unless a recorded submission points at it (another upload of the same
 * bytes). While the database cannot be reached it retries for a few seconds (a restarting server is usually back by
 * then) and otherwise keeps the file: a file without a row wastes space, a row without its file loses a submission.
 */
export async function releaseUnusedStoredFile(db: Database, dataDir: string, sha256: string): Promise<void> {
  const checked = await retryWhileUnavailable(() =>
    db.transaction(async (tx) => {
      await lockStoredFile(tx, sha256);
      const [used] = await tx.select({ id: submissions.id }).from(submissions).where(eq(submissions.sha256, sha256)).limit(1);
      if (!used) await deleteBlob(dataDir, sha256);
    }),
  );
  if (!checked) console.error(`[hep-arena] the stored file ${sha256} of a failed upload was kept: the database could not be reached to check it is unused`);
}
