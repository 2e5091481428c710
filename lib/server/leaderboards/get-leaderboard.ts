import 'server-only';
import { and, count, eq, inArray } from 'drizzle-orm';
import { scores, submissions, users } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { LeaderboardDto, MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import { getMetric, orientedValue } from '@/scoring/registry';
import { pairedTieGroups } from '@/scoring/tie-groups';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toMetricColumns } from '../challenges/to-metric-columns';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';

type Candidate = {
  submissionId: string;
  userId: string;
  userName: string;
  createdAt: Date;
  source: string;
  values: Record<string, MetricValueDto>;
  primaryReplicas: number[] | null;
};

/**
 * One row per participant: their best scored entry by the primary metric, in the metric's own direction (from
 * the scoring registry, never restated per challenge). Each value carries its bootstrap interval; tie groups and
 * rank intervals come from the paired replicas of the primary metric. Entries without a primary value are never
 * ranked. The private board is served only once the phase has closed; before that, asking for it is refused.
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
  const primaryMetric = getMetric(primary.id);

  const scored = await ctx.db
    .select({
      submissionId: submissions.id,
      userId: submissions.userId,
      userName: users.name,
      createdAt: submissions.createdAt,
      source: submissions.source,
      metric: scores.metric,
      value: scores.value,
      ciLow: scores.ciLow,
      ciHigh: scores.ciHigh,
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

  const bySubmission = new Map<string, Candidate>();
  for (const row of scored) {
    const candidate = bySubmission.get(row.submissionId) ?? { ...row, values: {}, primaryReplicas: null };
    candidate.values[row.metric] = { value: row.value, ciLow: row.ciLow, ciHigh: row.ciHigh };
    bySubmission.set(row.submissionId, candidate);
  }
  const primaryOf = (c: Candidate) => c.values[primary.id]?.value ?? null;
  // Better primary value first; on a tie the earlier submission wins.
  const compare = (a: Candidate, b: Candidate) =>
    orientedValue(primaryMetric, primaryOf(b) ?? 0) - orientedValue(primaryMetric, primaryOf(a) ?? 0) || a.createdAt.getTime() - b.createdAt.getTime();
  const best = new Map<string, Candidate>();
  for (const candidate of bySubmission.values()) {
    // An entry without the primary score is never ranked.
    if (primaryOf(candidate) === null) continue;
    const current = best.get(candidate.userId);
    if (!current || compare(candidate, current) < 0) best.set(candidate.userId, candidate);
  }
  const ordered = [...best.values()].sort(compare);
  // Replicas only for the entries on the board (one per participant), not for every submission of the phase.
  if (ordered.length > 0) {
    const replicaRows = await ctx.db
      .select({ submissionId: scores.submissionId, replicas: scores.replicas })
      .from(scores)
      .where(
        and(
          inArray(scores.submissionId, ordered.map((c) => c.submissionId)),
          eq(scores.split, split),
          eq(scores.variation, 'nominal'),
          eq(scores.metric, primary.id),
        ),
      );
    const replicasBySubmission = new Map(replicaRows.map((r) => [r.submissionId, r.replicas]));
    for (const c of ordered) c.primaryReplicas = replicasBySubmission.get(c.submissionId) ?? null;
  }

  // Tie groups need every compared entry to share the same replicas (same count, same scoring version).
  const replicaCount = ordered[0]?.primaryReplicas?.length ?? 0;
  const comparable = ordered.filter((c) => c.primaryReplicas && c.primaryReplicas.length === replicaCount && replicaCount > 0);
  const groups = new Map(
    pairedTieGroups(
      comparable.map((c) => ({ key: c.submissionId, value: primaryOf(c) ?? 0, replicaValues: Float64Array.from(c.primaryReplicas ?? []) })),
      primaryMetric.direction,
    ).map((g) => [g.key, g]),
  );
  return {
    challengeSlug: loaded.definition.slug,
    phaseKey: phase.key,
    split,
    isPrivateRevealed,
    metrics,
    rows: ordered.map((c, index) => ({
      rank: index + 1,
      tieGroup: groups.get(c.submissionId)?.group ?? null,
      rankInterval: groups.get(c.submissionId)?.rankInterval ?? null,
      userName: c.userName,
      isYou: c.userId === ctx.user?.id,
      submissionId: c.submissionId,
      submittedAt: c.createdAt.toISOString(),
      entries: entryCounts.find((e) => e.userId === c.userId)?.n ?? 1,
      isBrowserBaseline: c.source === 'browser-baseline',
      values: Object.fromEntries(metrics.map((m) => [m.id, c.values[m.id] ?? { value: null, ciLow: null, ciHigh: null }])),
    })),
  };
}
