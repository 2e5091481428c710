import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import { canOrganise } from '../challenges/can-organise';
import { getChallengeOrThrow, type LoadedChallenge } from '../challenges/get-challenge-or-throw';
import type { ServiceContext, SessionUser } from '../context';

/**
 * The challenge an organiser service acts on, once the caller is known to organise it (its owner or an admin).
 * Anonymous → UNAUTHENTICATED; anyone else → FORBIDDEN, or NOT_FOUND for a draft, whose existence is not revealed.
 */
export async function getOrganisedChallengeOrThrow(ctx: ServiceContext, slug: string): Promise<{ loaded: LoadedChallenge; user: SessionUser }> {
  assertSignedIn(ctx);
  const loaded = await getChallengeOrThrow(ctx.db, slug);
  if (!canOrganise(ctx.user, loaded.challenge)) {
    if (!loaded.challenge.publishedAt) throw new AppError('NOT_FOUND', `There is no challenge "${slug}".`);
    throw new AppError('FORBIDDEN', `Only the organisers of "${slug}" can do this; ask its organiser or an admin.`);
  }
  return { loaded, user: ctx.user };
}
