import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { challenges, scoreDetails, scores, submissions, teams, users } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { toMetricValueDto } from '@/lib/shared/dto/leaderboard-dto';
import type { ScoreDetailData } from '@/lib/shared/dto/score-detail-dto';
import type { SubmissionDetailDto } from '@/lib/shared/dto/submission-detail-dto';
import { canOrganise } from '../challenges/can-organise';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { getTruthReveal } from '../challenges/get-truth-reveal';
import { toMetricColumns } from '../challenges/to-metric-columns';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { findTeamOfUser } from '../teams/find-team-of-user';
import { toSubmissionDto } from './to-submission-dto';

type Split = 'public' | 'private';

const isSplit = (split: string): split is Split => split === 'public' || split === 'private';

/**
 * One submission with every metric per split and variation (value and bootstrap interval), the robustness rows and
 * the plot data, all from the submission's current scoring version. Only its submitter, the members of its team
 * (the team it was made in, or the submitter's current team in the challenge) and the challenge's organisers see it;
 * for anyone else it does not exist (NOT_FOUND, the same answer as for an unknown id). Private-split numbers and the
 * true μ of each pseudo-experiment are served only once the hidden truth is revealed: when every phase of every
 * challenge scored on it has closed (getTruthReveal), organisers included.
 */
export async function getSubmissionDetail(ctx: ServiceContext, submissionId: string): Promise<SubmissionDetailDto> {
  const notFound = () => new AppError('NOT_FOUND', `There is no submission "${submissionId}" that you can see.`);
  // Any 8-4-4-4-12 hex id PostgreSQL accepts; anything else cannot exist.
  if (!z.guid().safeParse(submissionId).success || !ctx.user) throw notFound();
  const viewer = ctx.user;

  const [row] = await ctx.db
    .select({ submission: submissions, slug: challenges.slug, submitterName: users.name, teamName: teams.name })
    .from(submissions)
    .innerJoin(challenges, eq(challenges.id, submissions.challengeId))
    .innerJoin(users, eq(users.id, submissions.userId))
    .leftJoin(teams, eq(teams.id, submissions.teamId))
    .where(eq(submissions.id, submissionId))
    .limit(1);
  if (!row) throw notFound();
  const { submission } = row;
  const loaded = await getChallengeOrThrow(ctx.db, row.slug);

  const viewerTeam = await findTeamOfUser(ctx.db, submission.challengeId, viewer.id);
  const isSubmitter = submission.userId === viewer.id;
  const isTeamMate = viewerTeam !== null && (viewerTeam.id === submission.teamId || viewerTeam.memberIds.includes(submission.userId));
  if (!isSubmitter && !isTeamMate && !canOrganise(viewer, loaded.challenge)) throw notFound();

  const phase = loaded.phases.find((p) => p.id === submission.phaseId);
  if (!phase) throw new AppError('INTERNAL', `Submission "${submissionId}" belongs to no phase of "${loaded.definition.title}".`);
  const phaseState = toPhaseDto(phase, ctx.now()).state;
  const isClosed = phaseState === 'closed';
  const reveal = isClosed ? await getTruthReveal(ctx.db, loaded.challenge, ctx.now()) : null;
  const isRevealed = reveal?.isRevealed === true;
  const privateHiddenReason = isRevealed
    ? null
    : !isClosed
      ? 'Private-split scores are revealed when the phase closes.'
      : 'Private-split scores are revealed when every phase scored on the same hidden test set has closed; another phase scored on it is still open.';
  const visibleSplits: Split[] = isRevealed ? ['public', 'private'] : ['public'];

  const version = submission.scoredVersion;
  const [scoreRows, detailRows] = version
    ? await Promise.all([
        ctx.db
          .select()
          .from(scores)
          .where(and(eq(scores.submissionId, submission.id), eq(scores.scoringVersion, version))),
        ctx.db
          .select()
          .from(scoreDetails)
          .where(and(eq(scoreDetails.submissionId, submission.id), eq(scoreDetails.scoringVersion, version))),
      ])
    : [[], []];

  const scoresDto: SubmissionDetailDto['scores'] = {};
  for (const s of scoreRows) {
    if (!isSplit(s.split) || !visibleSplits.includes(s.split)) continue;
    const bySplit = (scoresDto[s.split] ??= {});
    const byVariation = (bySplit[s.variation] ??= {});
    byVariation[s.metric] = toMetricValueDto(s.value, s.ciLow, s.ciHigh);
  }
  const detailsDto: SubmissionDetailDto['details'] = {};
  for (const d of detailRows) {
    if (!isSplit(d.split) || !visibleSplits.includes(d.split)) continue;
    (detailsDto[d.split] ??= {})[d.variation] = withoutTruthUnlessRevealed(d.data as ScoreDetailData, isRevealed);
  }

  const nominalValues = (split: Split) =>
    Object.fromEntries(Object.entries(scoresDto[split]?.nominal ?? {}).flatMap(([metric, v]) => (v.value === null ? [] : [[metric, v.value]])));
  // Final selection follows the leaderboard's competitor: the team the entry was made in, or the participant alone.
  const isSameCompetitor = submission.teamId ? viewerTeam?.id === submission.teamId : isSubmitter && viewerTeam === null;

  return {
    ...toSubmissionDto(
      submission,
      { slug: loaded.definition.slug, title: loaded.definition.title, phaseKey: phase.key, teamName: row.teamName },
      nominalValues('public'),
      isRevealed ? nominalValues('private') : null,
    ),
    task: loaded.definition.task,
    phaseTitle: phase.title,
    phaseState,
    isPrivateRevealed: isRevealed,
    privateHiddenReason,
    submitterName: row.submitterName,
    scoredVersion: version,
    metrics: toMetricColumns(loaded.definition),
    variations: [{ name: 'nominal', label: 'Nominal' }, ...loaded.definition.scoring.variations.map((v) => ({ name: v.name, label: v.label }))],
    scores: scoresDto,
    details: detailsDto,
    canSelectFinal: isSameCompetitor && !isClosed && submission.status === 'scored' && !submission.isBaseline,
  };
}

/** The true μ of each pseudo-experiment is truth: it stays on the server until the truth is revealed. */
function withoutTruthUnlessRevealed(data: ScoreDetailData, isRevealed: boolean): ScoreDetailData {
  if (data.kind !== 'interval' || isRevealed) return data;
  return { ...data, pe: { ...data.pe, muTrue: null } };
}
