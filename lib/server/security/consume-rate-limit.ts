import 'server-only';
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { rateLimits } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';

export type RateLimitRule = { limit: number; windowSeconds: number; /** What the user was doing, for the message. */ action: string };

/**
 * Failed sign-ins are counted three ways: per account and client (a stranger guessing locks out only himself), per
 * client over all accounts (one client spraying many accounts), and per account over all clients (a distributed
 * guess), the last with a short window so nobody can lock an owner out for long. Sign-ups per client address, uploads
 * per user. A client is its address as the web server resolved it (TRUSTED_PROXIES).
 */
export const rateLimitRules = {
  signInAccountClient: { limit: 10, windowSeconds: 15 * 60, action: 'failed sign-in attempts for this account from your network' },
  signInClient: { limit: 30, windowSeconds: 15 * 60, action: 'failed sign-in attempts from your network' },
  signInAccount: { limit: 50, windowSeconds: 5 * 60, action: 'failed sign-in attempts for this account' },
  signUp: { limit: 20, windowSeconds: 60 * 60, action: 'sign-ups from your network' },
  upload: { limit: 120, windowSeconds: 60 * 60, action: 'uploads' },
} as const satisfies Record<string, RateLimitRule>;

/**
 * Counts one attempt against `key` and throws RATE_LIMITED once the limit is passed, saying when to try again. The
 * count is a sliding window: this fixed window's attempts plus the previous window's, weighted by how much of the
 * previous window still overlaps the last `windowSeconds` — so attempts cannot double up around a window boundary.
 * One atomic upsert per attempt, so concurrent attempts on several servers are all counted.
 */
export async function consumeRateLimit(db: Pick<Database, 'insert' | 'delete' | 'select'>, key: string, rule: RateLimitRule, now: Date): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  // Old windows are useless; drop them now and then instead of running a separate job.
  if ((row?.count ?? 0) === 1 && Math.random() < 0.01) await db.delete(rateLimits).where(lt(rateLimits.windowStart, new Date(now.getTime() - 24 * 3600 * 1000)));
  const current = row?.count ?? 0;
  const [previousRow] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, new Date(windowStart.getTime() - windowMs))))
    .limit(1);
  const previous = previousRow?.count ?? 0;
  const elapsedMs = now.getTime() - windowStart.getTime();
  const counted = current + previous * (1 - elapsedMs / windowMs);
  if (counted > rule.limit) {
    const retryInSeconds = Math.max(1, Math.ceil(retryAfterMs(rule.limit, current, previous, elapsedMs, windowMs) / 1000));
    throw new AppError(
      'RATE_LIMITED',
      `Too many ${rule.action}: at most ${rule.limit} in ${Math.round(rule.windowSeconds / 60)} minutes. Try again in ${Math.ceil(retryInSeconds / 60)} minute(s).`,
      { retryInSeconds },
    );
  }
}

/** How long until one more attempt would be within the limit, as the previous windows' weight decays. */
function retryAfterMs(limit: number, current: number, previous: number, elapsedMs: number, windowMs: number): number {
  // Within this window: (current + 1) + previous·(1 − (elapsed + t)/W) ≤ limit.
  if (current + 1 <= limit) return previous > 0 ? Math.max(0, windowMs * (1 - (limit - current - 1) / previous) - elapsedMs) : 0;
  // Only in the next one, where this window's attempts are the previous: 1 + current·(1 − t'/W) ≤ limit.
  return windowMs - elapsedMs + Math.max(0, windowMs * (1 - (limit - 1) / current));
}

function windowStartOf(rule: RateLimitRule, now: Date): Date {
  const windowMs = rule.windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** Gives back one attempt counted in the current window (a sign-in that turned out to be right was no failure). */
export async function refundRateLimit(db: Pick<Database, 'update'>, key: string, rule: RateLimitRule, now: Date): Promise<void> {
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStartOf(rule, now))));
}

/** Forgets the attempts counted against `key` (a successful sign-in clears its account-and-client count). */
export async function resetRateLimit(db: Pick<Database, 'delete'>, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}
