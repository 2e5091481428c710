import 'server-only';
import { and, count, eq } from 'drizzle-orm';
import { scores, submissions, users } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { LeaderboardDto } from '@/lib/shared/dto/leaderboard-dto';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toMetricColumns } from '../challenges/to-metric-columns';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';

/**
 * One row per participant: their best scored entry by the primary metric, in the metric's own direction.
 * The private board is served only once the phase has closed; before that, asking for it is refused.
 */
export async function getLeaderboard(
  ctx: ServiceContext,
  input: { challengeSlug: string; phaseKey?: string; split?: 'public' | 'private' },
): Promise<LeaderboardDto> {
  const loaded = await getChallengeOrThrow(ctx.db, input.challengeSlug);
  const now = ctx.now();
  const phase = input.phaseKey
    ? loaded.phases.find((p) => p.key === input.phaseKey)
    : (loaded.phases.find((p) => toPhaseDto(p, now).state === 'open') ?? loaded.phases.at(-1));
  if (!phase) throw new AppError('NOT_FOUND', `Challenge "${input.challengeSlug}" has no phase "${input.phaseKey ?? ''}".`);
  const isPrivateRevealed = toPhaseDto(phase, now).state === 'closed';
  const split = input.split ?? 'public';
  if (split === 'private' && !isPrivateRevealed) {
    throw new AppError('FORBIDDEN', `The private leaderboard of "${phase.title}" is revealed when the phase closes.`);
  }
  const metrics = toMetricColumns(loaded.definition);
  const primary = metrics[0];
  if (!primary) throw new AppError('INTERNAL', `Challenge "${input.challengeSlug}" has no metrics.`);

  const scored = await ctx.db
    .select({
      submissionId: submissions.id,
      userId: submissions.userId,
      userName: users.name,
      createdAt: submissions.createdAt,
      source: submissions.source,
      metric: scores.metric,
      value: scores.value,
    })
    .from(submissions)
    .innerJoin(users, eq(users.id, submissions.userId))
    .innerJoin(scores, eq(scores.submissionId, submissions.id))
    .where(and(eq(submissions.phaseId, phase.id), eq(submissions.status, 'scored'), eq(scores.split, split), eq(scores.variation, 'nominal')));
  const entryCounts = await ctx.db
    .select({ userId: submissions.userId, n: count() })
    .from(submissions)
    .where(and(eq(submissions.phaseId, phase.id), eq(submissions.status, 'scored')))
    .groupBy(submissions.userId);

  type Candidate = { submissionId: string; userId: string; userName: string; createdAt: Date; source: string; values: Record<string, number> };
  const bySubmission = new Map<string, Candidate>();
  for (const row of scored) {
    const candidate = bySubmission.get(row.submissionId) ?? { ...row, values: {} };
    candidate.values[row.metric] = row.value;
    bySubmission.set(row.submissionId, candidate);
  }
  const sign = primary.direction === 'maximize' ? -1 : 1;
  // Better primary value first; on a tie the earlier submission wins.
  const compare = (a: Candidate, b: Candidate) => {
    const va = a.values[primary.id];
    const vb = b.values[primary.id];
    if (va === undefined || vb === undefined) return va === undefined ? (vb === undefined ? 0 : 1) : -1;
    return sign * (va - vb) || a.createdAt.getTime() - b.createdAt.getTime();
  };
  const best = new Map<string, Candidate>();
  for (const candidate of bySubmission.values()) {
    // An entry without the primary score is never ranked.
    if (candidate.values[primary.id] === undefined) continue;
    const current = best.get(candidate.userId);
    if (!current || compare(candidate, current) < 0) best.set(candidate.userId, candidate);
  }
  const ordered = [...best.values()].sort(compare);
  return {
    challengeSlug: loaded.definition.slug,
    phaseKey: phase.key,
    split,
    isPrivateRevealed,
    metrics,
    rows: ordered.map((c, index) => ({
      rank: index + 1,
      userName: c.userName,
      isYou: c.userId === ctx.user?.id,
      submissionId: c.submissionId,
      submittedAt: c.createdAt.toISOString(),
      entries: entryCounts.find((e) => e.userId === c.userId)?.n ?? 1,
      isBrowserBaseline: c.source === 'browser-baseline',
      values: Object.fromEntries(metrics.map((m) => [m.id, c.values[m.id] ?? null])),
    })),
  };
}
