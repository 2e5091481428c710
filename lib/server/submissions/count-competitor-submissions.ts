import 'server-only';
import { and, count, eq, gte, isNull, ne, type SQL } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissions } from '@/db/schema';

/** Who a limit applies to: a team (all its members' entries) or a participant without a team. */
export type Competitor = { userId: string; teamId: string | null };

export function startOfUtcDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

export function nextUtcMidnight(now: Date): Date {
  return new Date(startOfUtcDay(now).getTime() + 24 * 3600 * 1000);
}

/** Rows that belong to the competitor: the team's entries, or the participant's own entries made outside a team. */
export function competitorCondition(competitor: Competitor): SQL {
  return competitor.teamId
    ? eq(submissions.teamId, competitor.teamId)
    : (and(eq(submissions.userId, competitor.userId), isNull(submissions.teamId)) as SQL);
}

/**
 * Submissions that count towards a phase's limits: not failed (a failed file never costs a slot) and not an
 * organiser baseline. Pass a transaction to count under the caller's lock.
 */
export async function countCompetitorSubmissions(
  db: Pick<Database, 'select'>,
  phaseId: string,
  competitor: Competitor,
  now: Date,
): Promise<{ today: number; total: number }> {
  const base = and(eq(submissions.phaseId, phaseId), competitorCondition(competitor), ne(submissions.status, 'failed'), eq(submissions.isBaseline, false));
  const [today] = await db.select({ n: count() }).from(submissions).where(and(base, gte(submissions.createdAt, startOfUtcDay(now))));
  const [total] = await db.select({ n: count() }).from(submissions).where(base);
  return { today: today?.n ?? 0, total: total?.n ?? 0 };
}
