import 'server-only';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { userSessions } from '@/db/schema';
import type { AccountDto } from '@/lib/shared/dto/account-dto';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';

/** The signed-in user's account and the browsers where it is signed in now (newest first). */
export async function getAccount(ctx: ServiceContext): Promise<AccountDto> {
  assertSignedIn(ctx);
  const rows = await ctx.db
    .select()
    .from(userSessions)
    .where(and(eq(userSessions.userId, ctx.user.id), isNull(userSessions.revokedAt), gt(userSessions.expiresAt, new Date())))
    .orderBy(desc(userSessions.createdAt))
    .limit(100);
  return {
    email: ctx.user.email,
    name: ctx.user.name,
    role: ctx.user.role,
    sessions: rows.map((s) => ({ id: s.id, userAgent: s.userAgent, createdAt: s.createdAt.toISOString(), expiresAt: s.expiresAt.toISOString() })),
  };
}
