import { AppError } from '@/lib/shared/app-error';
import type { AuthenticatedContext, ServiceContext } from '../context';
import { assertSignedIn } from '../assert-signed-in';
import { canOrganise } from './can-organise';

/** Throws unless the signed-in user organises this challenge (see {@link canOrganise}). */
export function assertCanOrganise(ctx: ServiceContext, challenge: { slug: string; createdBy: string | null }): asserts ctx is AuthenticatedContext {
  assertSignedIn(ctx);
  if (!canOrganise(ctx.user, challenge)) {
    throw new AppError('FORBIDDEN', `Only the organisers of "${challenge.slug}" can do this.`);
  }
}
