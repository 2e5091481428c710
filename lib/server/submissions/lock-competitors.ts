import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';

/**
 * The one lock per phase and competitor (`<phaseId>:<teamId or userId>`, transaction-scoped, advisory) that uploads,
 * final selections and team changes all take, in one sorted order so that two of them can never deadlock. While it
 * is held, no other of these changes for that competitor and phase can commit.
 */
export async function lockCompetitors(tx: Pick<Database, 'execute'>, phaseIds: string[], competitorKeys: string[]): Promise<void> {
  const keys = phaseIds.flatMap((phaseId) => competitorKeys.map((key) => `${phaseId}:${key}`)).sort();
  for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}
