import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { users } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import { revokeUserSessions } from '../auth/revoke-user-sessions';
import type { ServiceContext } from '../context';
import { assertAdmin } from './assert-admin';
import { findAccountOrThrow } from './find-account-or-throw';

const inputSchema = z.object({
  email: z.string().trim().min(1, { error: 'Give the e-mail address of the account.' }),
  isDisabled: z.boolean(),
});

/**
 * Disables an account (it can no longer sign in; its sessions end and its API tokens stop working at once) or enables
 * it again. Its submissions, teams and challenges stay. An admin cannot disable their own account. Audit-logged.
 */
export async function setUserDisabled(ctx: ServiceContext, input: z.input<typeof inputSchema>): Promise<{ email: string; isDisabled: boolean; endedSessions: number }> {
  const actor = assertAdmin(ctx);
  const parsed = inputSchema.parse(input);
  const user = await findAccountOrThrow(ctx.db, parsed.email);
  if (actor.actorId === user.id && parsed.isDisabled) throw new AppError('CONFLICT', 'You cannot disable your own account.');
  const now = ctx.now();
  const endedSessions = await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ disabledAt: parsed.isDisabled ? (user.disabledAt ?? now) : null, updatedAt: now }).where(eq(users.id, user.id));
    const ended = parsed.isDisabled ? await revokeUserSessions(tx, { userId: user.id }, new Date()) : 0;
    await recordAuditEvent(tx, {
      actorId: actor.actorId,
      action: parsed.isDisabled ? 'user.disable' : 'user.enable',
      target: `user:${user.email}`,
      details: { endedSessions: ended, via: actor.via, ...(actor.operator ? { operator: actor.operator } : {}) },
      at: now,
    });
    return ended;
  });
  return { email: user.email, isDisabled: parsed.isDisabled, endedSessions };
}
