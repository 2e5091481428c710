import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { AuthenticatedContext, ServiceContext } from '../context';

/** Organisers and admins create challenges (and rescan datasets); participants are refused with what to do. */
export function assertCanCreateChallenges(ctx: ServiceContext): asserts ctx is AuthenticatedContext {
  assertSignedIn(ctx);
  if (ctx.user.role !== 'organiser' && ctx.user.role !== 'admin') {
    throw new AppError('FORBIDDEN', 'Only organisers and admins can create challenges; ask an admin to give your account the organiser role.');
  }
}
