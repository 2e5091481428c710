import 'server-only';
import { and, eq, inArray, or, type SQL } from 'drizzle-orm';
import { challenges, scores, submissions, teamMembers } from '@/db/schema';
import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import { toMetricValueDto, type MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { LiveSubmissionDto } from '@/lib/shared/dto/submission-status-dto';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toMetricColumns } from '../challenges/to-metric-columns';

/** At most this many submissions are followed by one request (a page of "My submissions" is far smaller). */
export const maxLiveSubmissions = 50;

/**
 * The live status of the caller's own submissions and their teams' (as "My submissions" lists them), in the order
 * of `ids`: status, failure reason and, once scored, the public scores with their intervals. Ids that are not the
 * caller's, or do not exist, are left out without saying which (nobody learns that another's submission exists).
 * Cheap enough to be asked every second: one statement of indexed lookups, and the scores and metric names only of
 * entries that are scored (`metrics` is empty before).
 */
export async function getLiveSubmissions(ctx: ServiceContext, ids: readonly string[]): Promise<LiveSubmissionDto[]> {
  assertSignedIn(ctx);
  const wanted = [...new Set(ids)].slice(0, maxLiveSubmissions);
  if (wanted.length === 0) return [];
  const me = ctx.user.id;
  // One statement: the caller's own entries, or their teams' (the teams looked up in the same query).
  const myTeams = ctx.db.select({ teamId: teamMembers.teamId }).from(teamMembers).where(eq(teamMembers.userId, me));
  const mine = or(eq(submissions.userId, me), inArray(submissions.teamId, myTeams)) as SQL;
  const rows = await ctx.db
    .select({
      id: submissions.id,
      status: submissions.status,
      error: submissions.error,
      finishedAt: submissions.finishedAt,
      scoredVersion: submissions.scoredVersion,
      challengeId: submissions.challengeId,
    })
    .from(submissions)
    .where(and(inArray(submissions.id, wanted), mine));

  const scored = rows.filter((r) => r.scoredVersion !== null).map((r) => r.id);
  const scoreRows = scored.length
    ? await ctx.db
        .select({ submissionId: scores.submissionId, metric: scores.metric, value: scores.value, ciLow: scores.ciLow, ciHigh: scores.ciHigh })
        .from(scores)
        .innerJoin(submissions, and(eq(submissions.id, scores.submissionId), eq(scores.scoringVersion, submissions.scoredVersion)))
        .where(and(inArray(scores.submissionId, scored), eq(scores.split, 'public'), eq(scores.variation, 'nominal')))
    : [];
  const valuesById = new Map<string, Record<string, MetricValueDto>>();
  for (const s of scoreRows) valuesById.set(s.submissionId, { ...valuesById.get(s.submissionId), [s.metric]: toMetricValueDto(s.value, s.ciLow, s.ciHigh) });
  // Metric names only where there are scores to name: a submission still waiting costs two indexed lookups a tick.
  const metricsByChallenge = new Map<string, MetricColumnDto[]>();
  const scoredChallenges = [...new Set(rows.filter((r) => r.scoredVersion !== null).map((r) => r.challengeId))];
  const slugs = scoredChallenges.length ? await ctx.db.select({ id: challenges.id, slug: challenges.slug }).from(challenges).where(inArray(challenges.id, scoredChallenges)) : [];
  for (const { id, slug } of slugs) metricsByChallenge.set(id, toMetricColumns((await getChallengeOrThrow(ctx.db, slug)).definition));

  const byId = new Map(rows.map((r) => [r.id, r]));
  return wanted.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [
      {
        id: row.id,
        status: row.status,
        error: row.error,
        finishedAt: row.finishedAt?.toISOString() ?? null,
        scoredVersion: row.scoredVersion,
        metrics: metricsByChallenge.get(row.challengeId) ?? [],
        publicValues: row.scoredVersion !== null ? (valuesById.get(row.id) ?? {}) : {},
      },
    ];
  });
}
