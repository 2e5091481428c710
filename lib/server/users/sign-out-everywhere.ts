import 'server-only';
import { assertSignedIn } from '../assert-signed-in';
import { revokeUserSessions } from '../auth/revoke-user-sessions';
import type { ServiceContext } from '../context';

/**
 * Ends every session of the signed-in account, this browser's included: a cookie copied from any of them no longer
 * signs anyone in. API tokens are not sessions and stay until revoked. Returns how many sessions ended.
 */
export async function signOutEverywhere(ctx: ServiceContext): Promise<{ ended: number }> {
  assertSignedIn(ctx);
  return { ended: await revokeUserSessions(ctx.db, { userId: ctx.user.id }, new Date()) };
}
