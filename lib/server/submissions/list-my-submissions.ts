import 'server-only';
import { and, desc, eq, inArray, or, type SQL } from 'drizzle-orm';
import { challenges, phases, scores, submissions, teamMembers, teams, users } from '@/db/schema';
import type { MetricColumnDto } from '@/lib/shared/dto/challenge-dto';
import { toMetricValueDto, type MetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { MySubmissionDto, MySubmissionsFilter } from '@/lib/shared/dto/submission-dto';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { getTruthReveal } from '../challenges/get-truth-reveal';
import { toMetricColumns } from '../challenges/to-metric-columns';
import { toPhaseDto } from '../challenges/to-phase-dto';
import { toSubmissionDto } from './to-submission-dto';

/**
 * The signed-in user's submissions and those of the teams they belong to, newest first, optionally of one challenge
 * (by slug) and one status. Each carries its challenge's metrics by name and its public scores of the current scoring
 * version with their bootstrap intervals (private ones once the truth is revealed: see getTruthReveal), its
 * description, whether it is selected as final, and a link to it.
 */
export async function listMySubmissions(ctx: ServiceContext, options: MySubmissionsFilter & { limit?: number } = {}): Promise<MySubmissionDto[]> {
  assertSignedIn(ctx);
  const me = ctx.user.id;
  const memberships = await ctx.db.select({ teamId: teamMembers.teamId, challengeId: teamMembers.challengeId }).from(teamMembers).where(eq(teamMembers.userId, me));
  const teamIds = memberships.map((m) => m.teamId);
  const teamByChallenge = new Map(memberships.map((m) => [m.challengeId, m.teamId]));

  const conditions: SQL[] = [teamIds.length ? (or(eq(submissions.userId, me), inArray(submissions.teamId, teamIds)) as SQL) : eq(submissions.userId, me)];
  if (options.challenge) conditions.push(eq(challenges.slug, options.challenge));
  if (options.status) conditions.push(eq(submissions.status, options.status));
  const rows = await ctx.db
    .select({
      submission: submissions,
      slug: challenges.slug,
      title: challenges.title,
      datasetVersionId: challenges.datasetVersionId,
      phase: phases,
      submitterName: users.name,
      teamName: teams.name,
    })
    .from(submissions)
    .innerJoin(challenges, eq(challenges.id, submissions.challengeId))
    .innerJoin(phases, eq(phases.id, submissions.phaseId))
    .innerJoin(users, eq(users.id, submissions.userId))
    .leftJoin(teams, eq(teams.id, submissions.teamId))
    .where(and(...conditions))
    .orderBy(desc(submissions.createdAt))
    .limit(options.limit ?? 200);

  const ids = rows.map((r) => r.submission.id);
  // Only the current scoring version's nominal numbers (older versions stay stored after a rescore).
  const scoreRows = ids.length
    ? await ctx.db
        .select({ submissionId: scores.submissionId, split: scores.split, metric: scores.metric, value: scores.value, ciLow: scores.ciLow, ciHigh: scores.ciHigh })
        .from(scores)
        .innerJoin(submissions, and(eq(submissions.id, scores.submissionId), eq(scores.scoringVersion, submissions.scoredVersion)))
        .where(and(inArray(scores.submissionId, ids), eq(scores.variation, 'nominal')))
    : [];
  const scoresBySubmission = new Map<string, typeof scoreRows>();
  for (const row of scoreRows) scoresBySubmission.set(row.submissionId, [...(scoresBySubmission.get(row.submissionId) ?? []), row]);

  // Metric names and precision come from each challenge's definition (parsed once per process and challenge).
  const metricsBySlug = new Map<string, MetricColumnDto[]>();
  for (const slug of new Set(rows.map((r) => r.slug))) metricsBySlug.set(slug, toMetricColumns((await getChallengeOrThrow(ctx.db, slug)).definition));

  const now = ctx.now();
  // Asked once per challenge with a closed phase here; open phases never reveal private numbers.
  const revealByChallenge = new Map<string, boolean>();
  for (const { submission, phase, datasetVersionId } of rows) {
    if (toPhaseDto(phase, now).state !== 'closed' || revealByChallenge.has(submission.challengeId)) continue;
    revealByChallenge.set(submission.challengeId, (await getTruthReveal(ctx.db, { id: submission.challengeId, datasetVersionId }, now)).isRevealed);
  }
  return rows.map(({ submission, slug, title, phase, submitterName, teamName }) => {
    const own = scoresBySubmission.get(submission.id) ?? [];
    const phaseState = toPhaseDto(phase, now).state;
    const isClosed = phaseState === 'closed';
    const isRevealed = isClosed && revealByChallenge.get(submission.challengeId) === true;
    const bySplit = (split: string) => Object.fromEntries(own.filter((s) => s.split === split).map((s) => [s.metric, s.value]));
    const valuesOf = (split: string): Record<string, MetricValueDto> =>
      Object.fromEntries(own.filter((s) => s.split === split).map((s) => [s.metric, toMetricValueDto(s.value, s.ciLow, s.ciHigh)]));
    const myTeamId = teamByChallenge.get(submission.challengeId) ?? null;
    // The same competitor as on the leaderboard: the team the entry was made in, or the participant without a team.
    const isMyCompetitor = submission.teamId ? submission.teamId === myTeamId : submission.userId === me && myTeamId === null;
    return {
      ...toSubmissionDto(submission, { slug, title, phaseKey: phase.key, teamName }, bySplit('public'), isRevealed ? bySplit('private') : null),
      href: `/submissions/${submission.id}`,
      submitterName,
      isOwn: submission.userId === me,
      phaseTitle: phase.title,
      phaseState,
      canSelectFinal: isMyCompetitor && !isClosed && submission.status === 'scored' && !submission.isBaseline,
      metrics: metricsBySlug.get(slug) ?? [],
      publicValues: valuesOf('public'),
      privateValues: isRevealed ? valuesOf('private') : null,
    };
  });
}
