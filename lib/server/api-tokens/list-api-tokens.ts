import 'server-only';
import { desc, eq } from 'drizzle-orm';
import { apiTokens } from '@/db/schema';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import type { ApiTokenDto } from '@/lib/shared/dto/api-token-dto';
import { toApiTokenDto } from './to-api-token-dto';

/** The signed-in user's tokens, newest first, revoked ones included (marked) so their history stays visible. */
export async function listApiTokens(ctx: ServiceContext): Promise<ApiTokenDto[]> {
  assertSignedIn(ctx);
  const rows = await ctx.db.select().from(apiTokens).where(eq(apiTokens.userId, ctx.user.id)).orderBy(desc(apiTokens.createdAt));
  return rows.map(toApiTokenDto);
}
