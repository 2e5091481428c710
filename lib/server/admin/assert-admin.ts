import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import type { ServiceContext } from '../context';

/** Who performs an administrative action, as the audit log records it. */
export type AdminActor = { actorId: string | null; via: 'web' | 'cli'; operator?: string };

/**
 * Admins, or the operator at the server's console (`npm run admin`, which sets `ctx.console`: whoever can run it can
 * already read the database, and it is how the first admin is made). Everyone else is refused.
 */
export function assertAdmin(ctx: ServiceContext): AdminActor {
  if (ctx.console) return { actorId: null, via: 'cli', operator: ctx.console.operator };
  if (!ctx.user) throw new AppError('UNAUTHENTICATED', 'Sign in as an admin to do this.');
  if (ctx.user.role !== 'admin') throw new AppError('FORBIDDEN', 'Only admins can do this; ask an admin, or run `npm run admin` on the server.');
  return { actorId: ctx.user.id, via: 'web' };
}
