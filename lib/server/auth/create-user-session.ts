import 'server-only';
import type { Database } from '@/db/client';
import { userSessions } from '@/db/schema';

/** How long a browser stays signed in without signing in again (the cookie lives as long). */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 3600;

/** Records a new signed-in browser and returns its id, which the session cookie carries. */
export async function createUserSession(db: Database, input: { userId: string; userAgent: string | null; now: Date }): Promise<string> {
  const [row] = await db
    .insert(userSessions)
    .values({
      userId: input.userId,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      createdAt: input.now,
      expiresAt: new Date(input.now.getTime() + SESSION_MAX_AGE_SECONDS * 1000),
    })
    .returning({ id: userSessions.id });
  if (!row) throw new Error('the session row was not created');
  return row.id;
}
