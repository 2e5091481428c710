import 'server-only';
import type { Database } from '@/db/client';
import { createUserSession } from '../auth/create-user-session';
import type { SessionUser } from '../context';
import { consumeRateLimit, rateLimitRules, refundRateLimit, resetRateLimit } from '../security/consume-rate-limit';
import { verifyCredentials } from './verify-credentials';

export type SignInClient = { address: string; userAgent: string | null; now: Date };

/**
 * Checks an e-mail and password and, when they match, opens a session (a row the cookie points at) and returns the
 * user with its id; null when they do not match. Every attempt is counted before the password is checked (so
 * concurrent guesses count too) against the account-and-client, the client and the account limits; a right password
 * gives those attempts back, so only failures add up, and a stranger's guesses lock out only the stranger (and, past
 * the account-wide limit, everybody for at most ten minutes: two of its sliding five-minute windows).
 */
export async function signInWithPassword(db: Database, credentials: { email: string; password: string }, client: SignInClient): Promise<(SessionUser & { sessionId: string }) | null> {
  const account = credentials.email.trim().toLowerCase();
  const keys = [
    { key: `sign-in:account-client:${account}|${client.address}`, rule: rateLimitRules.signInAccountClient },
    { key: `sign-in:client:${client.address}`, rule: rateLimitRules.signInClient },
    { key: `sign-in:account:${account}`, rule: rateLimitRules.signInAccount },
  ];
  for (const { key, rule } of keys) await consumeRateLimit(db, key, rule, client.now);
  const user = await verifyCredentials(db, credentials.email, credentials.password);
  if (!user) return null;
  const [pair, ...shared] = keys;
  if (pair) await resetRateLimit(db, pair.key);
  for (const { key, rule } of shared) await refundRateLimit(db, key, rule, client.now);
  const sessionId = await createUserSession(db, { userId: user.id, userAgent: client.userAgent, now: client.now });
  return { ...user, sessionId };
}
