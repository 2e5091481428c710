import 'server-only';
import { sql } from 'drizzle-orm';
import type { Database } from '@/db/client';

/** The PostgreSQL channel on which every process hears that a challenge's boards changed. */
export const boardChangeChannel = 'hep_arena_boards';

/**
 * Tells every web server that the boards of a challenge changed (a new score, a phase opened or closed, a final
 * selection, a new definition), so each drops its visitors' cached copies at once instead of serving them until they
 * age out. Sent with `pg_notify` on the given connection: inside a transaction it is delivered when that commits (and
 * not at all if it rolls back), so no server re-renders a board before the change is visible to it.
 */
export async function announceBoardChange(db: Pick<Database, 'execute'>, challengeSlug: string): Promise<void> {
  await db.execute(sql`select pg_notify(${boardChangeChannel}, ${challengeSlug})`);
}
