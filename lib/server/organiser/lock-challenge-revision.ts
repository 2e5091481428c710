import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { challenges } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';

/**
 * Locks the challenge row for the rest of the transaction and checks that nobody changed its definition since it
 * was read, so two organisers' edits cannot silently overwrite each other (or bump the revision once for two).
 */
export async function lockChallengeRevision(tx: Pick<Database, 'select'>, challengeId: string, expectedRevision: number, expectedUpdatedAt: Date): Promise<void> {
  const [row] = await tx
    .select({ revision: challenges.revision, updatedAt: challenges.updatedAt })
    .from(challenges)
    .where(eq(challenges.id, challengeId))
    .for('update');
  if (!row || row.revision !== expectedRevision || row.updatedAt.getTime() !== expectedUpdatedAt.getTime()) {
    throw new AppError('CONFLICT', 'The challenge was changed by someone else meanwhile; reload the page and try again.');
  }
}
