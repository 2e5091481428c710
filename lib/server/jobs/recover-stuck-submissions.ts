import 'server-only';
import { and, eq, inArray, lt } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissions } from '@/db/schema';
import type { ScoringQueue } from '../context';

/** A submission still `received` this long after upload lost its job hand-off (e.g. a crash): queue it again. */
export const requeueAfterMs = 30_000;
/** Longer than pg-boss's expiry × retries: a submission still not terminal by then ends `failed`, never stuck. */
export const giveUpAfterMs = 45 * 60_000;

/** The sweep that guarantees every submission reaches `scored` or `failed`. */
export async function recoverStuckSubmissions(deps: { db: Database; queue: ScoringQueue; now: () => Date }) {
  const now = deps.now().getTime();
  const stale = await deps.db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(eq(submissions.status, 'received'), lt(submissions.createdAt, new Date(now - requeueAfterMs))));
  for (const { id } of stale) {
    await deps.queue.enqueueScoring(id);
    await deps.db
      .update(submissions)
      .set({ status: 'queued', queuedAt: new Date(now) })
      .where(and(eq(submissions.id, id), eq(submissions.status, 'received')));
  }
  const abandoned = await deps.db
    .update(submissions)
    .set({
      status: 'failed',
      error: 'Scoring did not finish in time after several attempts; this submission does not count towards your limit. Please submit again.',
      finishedAt: new Date(now),
    })
    .where(and(inArray(submissions.status, ['queued', 'scoring']), lt(submissions.createdAt, new Date(now - giveUpAfterMs))))
    .returning({ id: submissions.id });
  return { requeued: stale.length, failed: abandoned.length };
}
