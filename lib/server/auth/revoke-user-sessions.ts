import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { userSessions } from '@/db/schema';

/**
 * Ends sessions on the server: one (sign-out) or every session of an account (sign out everywhere, a disabled
 * account). A cookie of an ended session no longer signs anyone in. Returns how many were ended.
 */
export async function revokeUserSessions(db: Database, which: { sessionId: string } | { userId: string }, now: Date): Promise<number> {
  if ('sessionId' in which && !z.guid().safeParse(which.sessionId).success) return 0;
  const target = 'sessionId' in which ? eq(userSessions.id, which.sessionId) : eq(userSessions.userId, which.userId);
  const ended = await db.update(userSessions).set({ revokedAt: now }).where(and(target, isNull(userSessions.revokedAt))).returning({ id: userSessions.id });
  return ended.length;
}
