import 'server-only';
import { and, desc, eq, inArray, or } from 'drizzle-orm';
import { challenges, phases, scores, submissions, teamMembers, teams, users } from '@/db/schema';
import type { MySubmissionDto } from '@/lib/shared/dto/submission-dto';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import { getTruthReveal } from '../challenges/get-truth-reveal';
import { toPhaseDto } from '../challenges/to-phase-dto';
import { toSubmissionDto } from './to-submission-dto';

/**
 * The signed-in user's submissions and those of the teams they belong to, newest first, with public scores of the
 * current scoring version (private ones once the truth is revealed: see getTruthReveal), whether each is selected as final and a link to it.
 */
export async function listMySubmissions(ctx: ServiceContext, options: { limit?: number } = {}): Promise<MySubmissionDto[]> {
  assertSignedIn(ctx);
  const me = ctx.user.id;
  const memberships = await ctx.db.select({ teamId: teamMembers.teamId, challengeId: teamMembers.challengeId }).from(teamMembers).where(eq(teamMembers.userId, me));
  const teamIds = memberships.map((m) => m.teamId);
  const teamByChallenge = new Map(memberships.map((m) => [m.challengeId, m.teamId]));

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
    .where(teamIds.length ? or(eq(submissions.userId, me), inArray(submissions.teamId, teamIds)) : eq(submissions.userId, me))
    .orderBy(desc(submissions.createdAt))
    .limit(options.limit ?? 200);

  const ids = rows.map((r) => r.submission.id);
  // Only the current scoring version's nominal numbers (older versions stay stored after a rescore).
  const scoreRows = ids.length
    ? await ctx.db
        .select({ submissionId: scores.submissionId, split: scores.split, metric: scores.metric, value: scores.value })
        .from(scores)
        .innerJoin(submissions, and(eq(submissions.id, scores.submissionId), eq(scores.scoringVersion, submissions.scoredVersion)))
        .where(and(inArray(scores.submissionId, ids), eq(scores.variation, 'nominal')))
    : [];

  const now = ctx.now();
  // Asked once per challenge with a closed phase here; open phases never reveal private numbers.
  const revealByChallenge = new Map<string, boolean>();
  for (const { submission, phase, datasetVersionId } of rows) {
    if (toPhaseDto(phase, now).state !== 'closed' || revealByChallenge.has(submission.challengeId)) continue;
    revealByChallenge.set(submission.challengeId, (await getTruthReveal(ctx.db, { id: submission.challengeId, datasetVersionId }, now)).isRevealed);
  }
  return rows.map(({ submission, slug, title, phase, submitterName, teamName }) => {
    const own = scoreRows.filter((s) => s.submissionId === submission.id);
    const phaseState = toPhaseDto(phase, now).state;
    const isClosed = phaseState === 'closed';
    const isRevealed = isClosed && revealByChallenge.get(submission.challengeId) === true;
    const bySplit = (split: string) => Object.fromEntries(own.filter((s) => s.split === split).map((s) => [s.metric, s.value]));
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
    };
  });
}
