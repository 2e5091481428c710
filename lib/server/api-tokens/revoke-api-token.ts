import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { apiTokens, auditEvents } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import type { ApiTokenDto } from '@/lib/shared/dto/api-token-dto';
import { toApiTokenDto } from './to-api-token-dto';

const revokeApiTokenInputSchema = z.object({ tokenId: z.uuid({ error: 'tokenId must be a token id from your token list.' }) });

/**
 * Revokes one of the signed-in user's tokens; requests with it are refused from then on. Another user's token is
 * "not found" (its existence is not confirmed). Revoking a revoked token changes nothing.
 */
export async function revokeApiToken(ctx: ServiceContext, input: unknown): Promise<ApiTokenDto> {
  assertSignedIn(ctx);
  const { tokenId } = revokeApiTokenInputSchema.parse(input);
  const mine = and(eq(apiTokens.id, tokenId), eq(apiTokens.userId, ctx.user.id));
  return ctx.db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiTokens)
      .set({ revokedAt: ctx.now() })
      .where(and(mine, isNull(apiTokens.revokedAt)))
      .returning();
    if (revoked) {
      await tx.insert(auditEvents).values({ actorId: ctx.user.id, action: 'token.revoke', target: `token:${revoked.id}`, details: { name: revoked.name, prefix: revoked.prefix }, createdAt: ctx.now() });
      return toApiTokenDto(revoked);
    }
    const [existing] = await tx.select().from(apiTokens).where(mine);
    if (!existing) throw new AppError('NOT_FOUND', 'You have no token with this id; it may belong to another account.');
    return toApiTokenDto(existing);
  });
}
