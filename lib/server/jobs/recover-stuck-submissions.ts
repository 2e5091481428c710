import 'server-only';
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { submissions } from '@/db/schema';
import type { ScoringQueue } from '../context';

/** A submission still `received` this long after upload lost its job hand-off (e.g. a crash): queue it again. */
export const requeueAfterMs = 30_000;
/** How often the worker scoring a submission renews its heartbeat. */
export const heartbeatIntervalMs = 5_000;
/**
 * A `scoring` submission whose heartbeat is older than this has lost its worker (killed, machine gone): it is queued
 * again at once instead of waiting for the queue's job timeout. Six missed heartbeats, so a busy worker is not
 * taken for dead.
 */
export const staleHeartbeatMs = 30_000;
/** A submission whose worker died this many times ends failed: it may be what kills the workers. */
export const maxScoringAttempts = 3;
/** Longer than pg-boss's expiry × retries: a submission still not terminal by then ends `failed`, never stuck. */
export const giveUpAfterMs = 45 * 60_000;

export type RecoveryOptions = {
  db: Database;
  queue: ScoringQueue;
  now: () => Date;
  /**
   * This process is the only one that scores (the embedded database, just started): every `queued` or `scoring`
   * submission belongs to a process that is gone, so all are queued again now, whatever their heartbeat.
   */
  isSoleWorkerStarting?: boolean;
  /**
   * Other processes may be scoring (PostgreSQL): a stale heartbeat means a dead worker. False for the embedded
   * database's only process, which is alive by definition when it sweeps, so a slow job of its own is never taken
   * for a dead one.
   */
  mayHaveOtherWorkers?: boolean;
};

/**
 * The sweep that guarantees every submission reaches `scored` or `failed`, within a minute of a crash: uploads that
 * lost their job are queued; submissions whose worker died (stale heartbeat, or any at the start of the only worker)
 * are queued again, or failed with the reason after {@link maxScoringAttempts} attempts; anything older than
 * {@link giveUpAfterMs} ends failed.
 */
export async function recoverStuckSubmissions(deps: RecoveryOptions) {
  const nowDate = deps.now();
  const now = nowDate.getTime();
  const stale = await deps.db
    .select({ id: submissions.id })
    .from(submissions)
    .where(and(eq(submissions.status, 'received'), lt(submissions.createdAt, new Date(now - requeueAfterMs))));
  for (const { id } of stale) {
    await deps.queue.enqueueScoring(id);
    await deps.db
      .update(submissions)
      .set({ status: 'queued', queuedAt: nowDate })
      .where(and(eq(submissions.id, id), eq(submissions.status, 'received')));
  }

  const orphanedWhere = deps.isSoleWorkerStarting
    ? inArray(submissions.status, ['queued', 'scoring'])
    : and(eq(submissions.status, 'scoring'), or(isNull(submissions.heartbeatAt), lt(submissions.heartbeatAt, new Date(now - staleHeartbeatMs))));
  const orphaned =
    deps.isSoleWorkerStarting || deps.mayHaveOtherWorkers !== false
      ? await deps.db.select({ id: submissions.id, status: submissions.status, attempts: submissions.scoringAttempts }).from(submissions).where(orphanedWhere)
      : [];
  let requeued = stale.length;
  let failed = 0;
  for (const row of orphaned) {
    if (row.status === 'scoring' && row.attempts >= maxScoringAttempts) {
      const ended = await deps.db
        .update(submissions)
        .set({
          status: 'failed',
          error: `Scoring stopped ${row.attempts} times because the worker scoring it stopped (crashed or was killed); it was not tried again. This submission does not count towards your limit; if it happens again, tell the organisers.`,
          finishedAt: nowDate,
        })
        .where(and(eq(submissions.id, row.id), eq(submissions.status, 'scoring')))
        .returning({ id: submissions.id });
      failed += ended.length;
      continue;
    }
    // The job first: a sweeper dying now leaves a job for a submission still marked as it was (harmless), never a
    // queued submission without a job. Two sweepers may both send one; the second run finds it scored and stops.
    await deps.queue.enqueueScoring(row.id);
    const claimed = await deps.db
      .update(submissions)
      .set({ status: 'queued', queuedAt: nowDate, heartbeatAt: null })
      .where(and(eq(submissions.id, row.id), eq(submissions.status, row.status), sql`${submissions.scoringAttempts} = ${row.attempts}`))
      .returning({ id: submissions.id });
    requeued += claimed.length;
  }

  const abandoned = await deps.db
    .update(submissions)
    .set({
      status: 'failed',
      error: 'Scoring did not finish in time after several attempts; this submission does not count towards your limit. Please submit again.',
      finishedAt: nowDate,
    })
    .where(and(inArray(submissions.status, ['queued', 'scoring']), lt(submissions.createdAt, new Date(now - giveUpAfterMs))))
    .returning({ id: submissions.id });
  return { requeued, failed: failed + abandoned.length };
}
