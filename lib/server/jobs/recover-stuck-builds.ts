import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray, isNotNull, isNull, lt, or, sql } from 'drizzle-orm';
import { recipeBuildParts, recipeBuilds } from '@/db/schema';
import { failRecipeBuild, maxBuildStepAttempts, type RecipeBuildDeps, removeScratch, startMergeIfComplete } from './recipe-build-steps';

/** A queued step without a worker this long lost its job hand-off (a crash between the database and the queue): queue it again. */
export const requeueBuildStepAfterMs = 120_000;

/**
 * The sweep that keeps every queued build moving, within a minute of a crash: a part or a plan/merge step whose
 * worker stopped renewing its heartbeat (killed, machine gone) is queued again, or fails the build after
 * {@link maxBuildStepAttempts} attempts; steps that lost their job are queued again; a build whose parts are all done
 * moves on to its merge; failed builds lose their scratch folders. `isSoleWorkerStarting`: this process just started
 * and is the only one (embedded database), so every running step belonged to a process that is gone.
 */
export async function recoverStuckBuilds(deps: RecipeBuildDeps, options: { isSoleWorkerStarting?: boolean } = {}): Promise<{ requeued: number; failed: number }> {
  const now = deps.now();
  const stale = new Date(now.getTime() - deps.staleAfterMs);
  const lost = new Date(now.getTime() - requeueBuildStepAfterMs);
  let requeued = 0;
  let failed = 0;

  const orphanedParts = await deps.db
    .select({ buildId: recipeBuildParts.buildId, partIndex: recipeBuildParts.partIndex, claim: recipeBuildParts.claim, attempts: recipeBuildParts.attempts, file: recipeBuildParts.file, worker: recipeBuildParts.worker })
    .from(recipeBuildParts)
    .innerJoin(recipeBuilds, eq(recipeBuilds.id, recipeBuildParts.buildId))
    .where(and(eq(recipeBuilds.status, 'running'), eq(recipeBuildParts.status, 'running'), options.isSoleWorkerStarting ? sql`true` : or(isNull(recipeBuildParts.heartbeatAt), lt(recipeBuildParts.heartbeatAt, stale))));
  for (const part of orphanedParts) {
    if (part.attempts >= maxBuildStepAttempts) {
      if (await failRecipeBuild(deps, part.buildId, `Building ${part.file} stopped ${part.attempts} times because the worker processing it stopped (last on ${part.worker}); it was not tried again.`)) failed++;
      continue;
    }
    const released = await deps.db
      .update(recipeBuildParts)
      .set({ status: 'queued', claim: null, heartbeatAt: null, queuedAt: now, error: `the worker ${part.worker} stopped while processing this file; queued again` })
      .where(and(eq(recipeBuildParts.buildId, part.buildId), eq(recipeBuildParts.partIndex, part.partIndex), part.claim ? eq(recipeBuildParts.claim, part.claim) : isNull(recipeBuildParts.claim), eq(recipeBuildParts.status, 'running')))
      .returning({ id: recipeBuildParts.partIndex });
    if (released.length > 0) {
      await deps.queue.enqueueBuildStep({ buildId: part.buildId, step: 'part', partIndex: part.partIndex });
      requeued++;
    }
  }

  // Parts queued long ago whose job may be lost: another job (a duplicate finds the part taken and does nothing).
  const waiting = await deps.db
    .update(recipeBuildParts)
    .set({ queuedAt: now })
    .where(and(eq(recipeBuildParts.status, 'queued'), lt(recipeBuildParts.queuedAt, lost), sql`exists (select 1 from ${recipeBuilds} where ${recipeBuilds.id} = ${recipeBuildParts.buildId} and ${recipeBuilds.status} = 'running')`))
    .returning({ buildId: recipeBuildParts.buildId, partIndex: recipeBuildParts.partIndex });
  for (const part of waiting) {
    await deps.queue.enqueueBuildStep({ buildId: part.buildId, step: 'part', partIndex: part.partIndex });
    requeued++;
  }

  // Plan and merge steps: a stale claim is released and queued again; an unclaimed step waiting too long is queued again.
  const steps = await deps.db
    .select({ id: recipeBuilds.id, status: recipeBuilds.status, claim: recipeBuilds.stepClaim, heartbeatAt: recipeBuilds.stepHeartbeatAt, attempts: recipeBuilds.stepAttempts, queuedAt: recipeBuilds.stepQueuedAt, createdAt: recipeBuilds.createdAt })
    .from(recipeBuilds)
    .where(inArray(recipeBuilds.status, ['planning', 'merging']));
  for (const build of steps) {
    const step = build.status === 'planning' ? 'plan' : 'merge';
    if (build.claim) {
      const isStale = options.isSoleWorkerStarting || !build.heartbeatAt || build.heartbeatAt < stale;
      if (!isStale) continue;
      if (build.attempts >= maxBuildStepAttempts) {
        if (await failRecipeBuild(deps, build.id, `The ${step} step stopped ${build.attempts} times because its worker stopped; it was not tried again.`)) failed++;
        continue;
      }
      const released = await deps.db.update(recipeBuilds).set({ stepClaim: null, stepHeartbeatAt: null, stepQueuedAt: now }).where(and(eq(recipeBuilds.id, build.id), eq(recipeBuilds.stepClaim, build.claim))).returning({ id: recipeBuilds.id });
      if (released.length > 0) {
        await deps.queue.enqueueBuildStep({ buildId: build.id, step });
        requeued++;
      }
    } else if ((build.queuedAt ?? build.createdAt) < lost || options.isSoleWorkerStarting) {
      await deps.db.update(recipeBuilds).set({ stepQueuedAt: now }).where(and(eq(recipeBuilds.id, build.id), isNull(recipeBuilds.stepClaim)));
      await deps.queue.enqueueBuildStep({ buildId: build.id, step });
      requeued++;
    }
  }

  // A build whose last part finished while its worker died before moving it on.
  const complete = await deps.db
    .select({ id: recipeBuilds.id })
    .from(recipeBuilds)
    .where(and(eq(recipeBuilds.status, 'running'), sql`not exists (select 1 from ${recipeBuildParts} where ${recipeBuildParts.buildId} = ${recipeBuilds.id} and ${recipeBuildParts.status} <> 'done')`, sql`${recipeBuilds.filesTotal} > 0`));
  for (const build of complete) if (await startMergeIfComplete(deps, build.id)) requeued++;

  // Failed builds keep only their request and plan.
  const ended = await deps.db.select({ buildDir: recipeBuilds.buildDir }).from(recipeBuilds).where(and(eq(recipeBuilds.status, 'failed'), isNotNull(recipeBuilds.finishedAt)));
  for (const build of ended) {
    const dir = path.join(deps.dataDir, build.buildDir);
    if (fs.existsSync(path.join(dir, 'parts')) || fs.existsSync(path.join(dir, 'merge'))) removeScratch(dir);
  }
  return { requeued, failed };
}
