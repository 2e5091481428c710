import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '@/db/client';
import { userSessions, users } from '@/db/schema';
import { memoUntilTablesChange } from '../cache/memo-until-tables-change';
import type { SessionUser } from '../context';

/**
 * The user of a session cookie's session, as the account is now (its current role), or null when the session was
 * signed out, signed out everywhere, has expired, or its account is disabled. Asked on every request, so each of
 * those takes effect at the next one.
 */
export async function findSessionUser(db: Database, sessionId: unknown, now: Date): Promise<SessionUser | null> {
  if (!z.guid().safeParse(sessionId).success) return null;
  // Kept until user_sessions or users is written (a sign-out, "sign out everywhere", a disabled account, a role change).
  const row = await memoUntilTablesChange('session-user', sessionId as string, ['user_sessions', 'users'], async () => {
    const [found] = await db
      .select({ id: users.id, email: users.email, name: users.name, role: users.role, expiresAt: userSessions.expiresAt })
      .from(userSessions)
      .innerJoin(users, eq(users.id, userSessions.userId))
      .where(and(eq(userSessions.id, sessionId as string), isNull(userSessions.revokedAt), isNull(users.disabledAt)))
      .limit(1);
    return found ?? null;
  });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}
