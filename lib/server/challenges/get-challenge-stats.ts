import 'server-only';
import { and, count, countDistinct, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissions } from '@/db/schema';

/**
 * Participants and submissions of a challenge (organiser baselines left out), as the pages' headers show them.
 * Counting every submission on every page view is the costliest query of a busy board, and these are informational
 * numbers: each web server recounts at most every few seconds.
 */
const maxAgeMs = 5_000;
const state = globalThis as typeof globalThis & { __hepArenaChallengeStats?: Map<string, { at: number; stats: Promise<ChallengeStats> }> };
const cache = (state.__hepArenaChallengeStats ??= new Map());

export type ChallengeStats = { participants: number; total: number };

export function getChallengeStats(db: Database, challengeId: string): Promise<ChallengeStats> {
  const entry = cache.get(challengeId);
  if (entry && Date.now() - entry.at <= maxAgeMs) return entry.stats;
  const stats = db
    .select({ participants: countDistinct(submissions.userId), total: count() })
    .from(submissions)
    .where(and(eq(submissions.challengeId, challengeId), eq(submissions.isBaseline, false)))
    .then(([row]) => ({ participants: row?.participants ?? 0, total: row?.total ?? 0 }));
  cache.set(challengeId, { at: Date.now(), stats });
  stats.catch(() => cache.delete(challengeId));
  return stats;
}
