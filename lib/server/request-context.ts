import 'server-only';
import { env } from '@/lib/env';
import { getSessionUser } from './auth/get-session-user';
import { platformNow } from './clock';
import type { ServiceContext } from './context';
import { getDatabase } from './database';
import { getScoringQueue } from './jobs/get-scoring-queue';

/** The context of the current request: the process database, DATA_DIR, the signed-in user and the queue. */
export async function getRequestContext(): Promise<ServiceContext> {
  const [{ db }, user] = await Promise.all([getDatabase(), getSessionUser()]);
  return { db, dataDir: env.DATA_DIR, user, now: platformNow, queue: getScoringQueue() };
}
