import 'server-only';
import crypto from 'node:crypto';
import { and, count, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { apiTokens, auditEvents } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import type { ServiceContext } from '../context';
import type { CreatedApiTokenDto } from '@/lib/shared/dto/api-token-dto';
import { hashApiToken } from './hash-api-token';
import { toApiTokenDto } from './to-api-token-dto';

const maxActiveTokens = 20;

const createApiTokenInputSchema = z.object({
  name: z.string().trim().min(1, { error: 'Give the token a name, e.g. "laptop" or "cluster job".' }).max(80, { error: 'Token names are at most 80 characters.' }),
});

/**
 * Creates a personal API token: `ha_` + 32 random bytes in base64url. Only its sha256 and its first 8 characters
 * are stored, so the token is returned here once and can never be shown again.
 */
export async function createApiToken(ctx: ServiceContext, input: unknown): Promise<CreatedApiTokenDto> {
  assertSignedIn(ctx);
  const { name } = createApiTokenInputSchema.parse(input);
  const token = `ha_${crypto.randomBytes(32).toString('base64url')}`;
  const row = await ctx.db.transaction(async (tx) => {
    const [active] = await tx.select({ n: count() }).from(apiTokens).where(and(eq(apiTokens.userId, ctx.user.id), isNull(apiTokens.revokedAt)));
    if ((active?.n ?? 0) >= maxActiveTokens) {
      throw new AppError('LIMIT_REACHED', `You have ${maxActiveTokens} active tokens, the most allowed; revoke one you no longer use first.`);
    }
    const [inserted] = await tx
      .insert(apiTokens)
      .values({ userId: ctx.user.id, name, tokenHash: hashApiToken(token), prefix: token.slice(0, 8), createdAt: ctx.now() })
      .returning();
    if (!inserted) throw new AppError('INTERNAL', 'The token could not be saved; please try again.');
    await tx.insert(auditEvents).values({ actorId: ctx.user.id, action: 'token.create', target: `token:${inserted.id}`, details: { name, prefix: inserted.prefix }, createdAt: ctx.now() });
    return inserted;
  });
  return { token, apiToken: toApiTokenDto(row) };
}
