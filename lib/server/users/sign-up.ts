import 'server-only';
import type { Database } from '@/db/client';
import type { SessionUser } from '../context';
import { consumeRateLimit, rateLimitRules } from '../security/consume-rate-limit';
import { createUser } from './create-user';

/** Creates a participant account from the sign-up form, at most {@link rateLimitRules.signUp} per client address. */
export async function signUp(db: Database, input: unknown, client: { address: string; now: Date }): Promise<SessionUser> {
  await consumeRateLimit(db, `sign-up:${client.address}`, rateLimitRules.signUp, client.now);
  return createUser(db, input);
}
