import 'server-only';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { userRoles, users } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { assertAdmin } from './assert-admin';
import { findAccountOrThrow } from './find-account-or-throw';

const inputSchema = z.object({
  email: z.string().trim().min(1, { error: 'Give the e-mail address of the account.' }),
  role: z.enum(userRoles, { error: `The role must be one of ${userRoles.join(', ')}.` }),
});

/**
 * Gives an account a role (grant or revoke organiser; make or unmake an admin). It applies at the account's next
 * request, sessions and API tokens alike, because every request reads the role afresh. An admin cannot take away
 * their own admin role (so the platform is never left without one by accident). Recorded in the audit log.
 */
export async function setUserRole(ctx: ServiceContext, input: z.input<typeof inputSchema>): Promise<{ email: string; role: string; previousRole: string }> {
  const actor = assertAdmin(ctx);
  const parsed = inputSchema.parse(input);
  const user = await findAccountOrThrow(ctx.db, parsed.email);
  if (actor.actorId === user.id && parsed.role !== 'admin') {
    throw new AppError('CONFLICT', 'You cannot take away your own admin role; ask another admin, or use npm run admin on the server.');
  }
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ role: parsed.role, updatedAt: ctx.now() }).where(eq(users.id, user.id));
    await recordAuditEvent(tx, {
      actorId: actor.actorId,
      action: 'user.set-role',
      target: `user:${user.email}`,
      details: { from: user.role, to: parsed.role, via: actor.via, ...(actor.operator ? { operator: actor.operator } : {}) },
      at: ctx.now(),
    });
  });
  return { email: user.email, role: parsed.role, previousRole: user.role };
}
