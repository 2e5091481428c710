import 'server-only';
import type { SubmissionAllowanceDto } from '@/lib/shared/dto/submission-allowance-dto';
import { assertSignedIn } from '../assert-signed-in';
import { getChallengeOrThrow } from '../challenges/get-challenge-or-throw';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { ServiceContext } from '../context';
import { findTeamOfUser } from '../teams/find-team-of-user';
import { countCompetitorSubmissions, nextUtcMidnight } from './count-competitor-submissions';

/** The signed-in participant's (or team's) use of the open phase's limits; null when no phase is open. */
export async function getSubmissionAllowance(ctx: ServiceContext, challengeSlug: string): Promise<SubmissionAllowanceDto | null> {
  assertSignedIn(ctx);
  const loaded = await getChallengeOrThrow(ctx.db, challengeSlug);
  const now = ctx.now();
  const phase = loaded.phases.find((p) => toPhaseDto(p, now).state === 'open');
  if (!phase) return null;
  const team = await findTeamOfUser(ctx.db, loaded.challenge.id, ctx.user.id);
  const used = await countCompetitorSubmissions(ctx.db, phase.id, { userId: ctx.user.id, teamId: team?.id ?? null }, now);
  return {
    phaseKey: phase.key,
    phaseTitle: phase.title,
    closesAt: phase.closesAt?.toISOString() ?? null,
    usedToday: used.today,
    maxPerDay: phase.maxPerDay,
    usedTotal: used.total,
    maxTotal: phase.maxTotal,
    resetsAt: nextUtcMidnight(now).toISOString(),
    teamName: team?.name ?? null,
  };
}
