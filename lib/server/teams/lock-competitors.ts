import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';

/**
 * Takes the transaction-scoped advisory locks that create-submission takes per phase and competitor
 * (`<phaseId>:<teamId or userId>`), in one sorted order so two team changes can never deadlock. While they are
 * held, no upload of these competitors to these phases can commit.
 */
export async function lockCompetitors(tx: Pick<Database, 'execute'>, phaseIds: string[], competitorKeys: string[]): Promise<void> {
  const keys = phaseIds.flatMap((phaseId) => competitorKeys.map((key) => `${phaseId}:${key}`)).sort();
  for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}
