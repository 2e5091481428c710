import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import { canOrganise } from '../challenges/can-organise';
import { getChallengeOrThrow, type LoadedChallenge } from '../challenges/get-challenge-or-throw';
import { toPhaseDto } from '../challenges/to-phase-dto';
import type { AuthenticatedContext } from '../context';

export type TeamChallenge = LoadedChallenge & {
  /** Phases that have not closed: the only ones whose submissions move with team changes. */
  activePhases: LoadedChallenge['phases'];
};

/**
 * The challenge a team action is about, as the signed-in user may see it (a draft is "not found" to everyone but
 * its organisers). With `forChange`, refuses once the last phase has closed: teams are final then, and boards
 * already revealed never change composition.
 */
export async function getTeamChallengeOrThrow(ctx: AuthenticatedContext, slug: string, options: { forChange: boolean }): Promise<TeamChallenge> {
  const loaded = await getChallengeOrThrow(ctx.db, slug);
  if (!loaded.challenge.publishedAt && !canOrganise(ctx.user, loaded.challenge)) throw new AppError('NOT_FOUND', `There is no challenge "${slug}".`);
  const now = ctx.now();
  const activePhases = loaded.phases.filter((p) => toPhaseDto(p, now).state !== 'closed');
  if (options.forChange && activePhases.length === 0) {
    throw new AppError('PHASE_CLOSED', `"${loaded.definition.title}" has ended: teams are final once the last phase closes.`);
  }
  return { ...loaded, activePhases };
}
