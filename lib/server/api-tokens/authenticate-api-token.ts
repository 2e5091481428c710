import 'server-only';
import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { apiTokens, users } from '@/db/schema';
import type { SessionUser } from '../context';
import { memoUntilTablesChange } from '../cache/memo-until-tables-change';
import { hashApiToken } from './hash-api-token';

/** `ha_` + 32 bytes in base64url (43 characters). */
const tokenPattern = /^ha_[A-Za-z0-9_-]{43}$/;

/** last_used_at is written at most once a minute per token, so a polling client does not write on every request. */
const lastUsedResolutionMs = 60_000;

/**
 * The user a bearer token belongs to, or null for a malformed, unknown or revoked token, or one of a disabled account.
 * The lookup is by sha256, so the token itself is never compared or stored; the role is the account's current one.
 */
export async function authenticateApiToken(db: Database, token: string, now: Date = new Date()): Promise<SessionUser | null> {
  if (!tokenPattern.test(token)) return null;
  const tokenHash = hashApiToken(token);
  // Kept until api_tokens or users is written (a revocation, a disabled account, a role change: at the next request).
  const row = await memoUntilTablesChange('api-token', tokenHash, ['api_tokens', 'users'], async () => {
    const [found] = await db
      .select({ tokenId: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt, id: users.id, email: users.email, name: users.name, role: users.role })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(and(eq(apiTokens.tokenHash, tokenHash), isNull(apiTokens.revokedAt), isNull(users.disabledAt)))
      .limit(1);
    return found ?? null;
  });
  if (!row) return null;
  // Most requests of a busy client find the time fresh and write nothing (no statement at all, not an empty update).
  if (row.lastUsedAt && now.getTime() - row.lastUsedAt.getTime() < lastUsedResolutionMs) return { id: row.id, email: row.email, name: row.name, role: row.role };
  await db
    .update(apiTokens)
    .set({ lastUsedAt: now })
    .where(and(eq(apiTokens.id, row.tokenId), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, new Date(now.getTime() - lastUsedResolutionMs)))));
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}
