import { AppError } from '@/lib/shared/app-error';
import type { AuthenticatedContext, ServiceContext } from './context';

export function assertSignedIn(ctx: ServiceContext): asserts ctx is AuthenticatedContext {
  if (!ctx.user) throw new AppError('UNAUTHENTICATED', 'Sign in first: this action needs an account.');
}
