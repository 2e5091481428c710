import 'server-only';
import { env } from '@/lib/env';
import { getSessionUser } from './auth/get-session-user';
import { platformNow } from './clock';
import type { ServiceContext } from './context';
import { getDatabase } from './database';
import { getRecipeBuildQueue } from './jobs/get-recipe-build-queue';
import { getScoringQueue } from './jobs/get-scoring-queue';

/** The context of the current request: the process database, DATA_DIR, the signed-in user and the queue. */
export async function getRequestContext(): Promise<ServiceContext> {
  const [{ db }, user] = await Promise.all([getDatabase(), getSessionUser()]);
  return { db, dataDir: env.DATA_DIR, user, now: platformNow, queue: getScoringQueue(), buildQueue: getRecipeBuildQueue() };
}

/**
 * The context of a page rendered once for every visitor and cached (app/(public)): no session is read, because
 * reading one would make the page per-request.
 */
export async function getVisitorContext(): Promise<ServiceContext> {
  const { db } = await getDatabase();
  return { db, dataDir: env.DATA_DIR, user: null, now: platformNow, queue: getScoringQueue() };
}
