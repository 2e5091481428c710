import 'server-only';
import PgBoss from 'pg-boss';
import type { DatabaseHandle } from '@/db/client';
import { killRunningBuildSteps, processRecipeBuildJob, type RecipeBuildDeps, type RecipeBuildJob, type RecipeBuildQueue } from './recipe-build-steps';
import { recoverStuckBuilds } from './recover-stuck-builds';

export const recipeBuildQueueName = 'recipe-build';

export type RecipeBuildQueueRuntime = {
  queue: RecipeBuildQueue;
  /** Runs the stuck-build sweep once (also on a timer while this process works on builds). */
  sweep(options?: { isSoleProcess?: boolean }): Promise<void>;
  /** Stops taking build jobs; the steps in hand are stopped and go back to the queue for another worker. */
  stop(): Promise<void>;
};

export type StartRecipeBuildQueueOptions = {
  dataDir: string;
  /** Whether this process also runs build steps (the embedded server always does; PostgreSQL web servers may not). */
  isWorker: boolean;
  pollingIntervalSeconds: number;
  /** A step whose heartbeat is older than this lost its worker and is queued again (default 30 s). */
  staleAfterSeconds?: number;
  /** How often workers look for steps whose worker died (default 10 s: recovery within a minute). */
  sweepIntervalSeconds?: number;
  /** Called when this process starts and finishes a step (the worker logs them). */
  onJob?: (event: 'start' | 'done', job: RecipeBuildJob, outcome?: string) => void;
};

/**
 * Queued dataset builds on pg-boss, beside the scoring queue: one job plans a build, one job per input file builds a
 * part, a last job merges them; the steps run in processes of their own (the engine of lib/pipeline). Any worker on
 * any machine sharing DATA_DIR takes them. Job state (and a heartbeat per step) lives in recipe_builds and
 * recipe_build_parts: a killed worker's step is taken up again by the sweep within a minute, not after pg-boss's job
 * expiry, and a retried step never duplicates rows (each part is written once, under its index).
 */
export async function startRecipeBuildQueue(handle: DatabaseHandle, options: StartRecipeBuildQueueOptions): Promise<RecipeBuildQueueRuntime> {
  // Maintenance (expiry, archiving) is global to pg-boss's schema and run by the scoring queue's instance.
  const boss =
    handle.kind === 'postgres' && handle.url
      ? new PgBoss({ connectionString: handle.url, max: 3, supervise: false, schedule: false })
      : new PgBoss({ db: handle.sql as PgBoss.Db, supervise: false, schedule: false });
  boss.on('error', (error) => console.error('[builds]', error));
  await handle.withSetupLock(async () => {
    await boss.start();
    // The sweep, not pg-boss, retries a step: a job is sent again only once its step is released.
    if (!(await boss.getQueue(recipeBuildQueueName))) await boss.createQueue(recipeBuildQueueName, { name: recipeBuildQueueName, retryLimit: 0, expireInSeconds: 23 * 3600 });
  });
  const queue: RecipeBuildQueue = {
    async enqueueBuildStep(job) {
      await boss.send(recipeBuildQueueName, job, { retryLimit: 0, expireInSeconds: 23 * 3600 });
    },
  };
  const deps: RecipeBuildDeps = { db: handle.db, dataDir: options.dataDir, queue, now: () => new Date(), staleAfterMs: (options.staleAfterSeconds ?? 30) * 1000 };
  const sweep = async (sweepOptions: { isSoleProcess?: boolean } = {}) => {
    const recovered = await recoverStuckBuilds(deps, { isSoleWorkerStarting: sweepOptions.isSoleProcess === true });
    if (recovered.requeued + recovered.failed > 0) console.log(`[builds] recovered: ${recovered.requeued} step(s) queued again, ${recovered.failed} build(s) failed`);
  };
  let timer: NodeJS.Timeout | null = null;
  if (options.isWorker) {
    await boss.work<RecipeBuildJob>(recipeBuildQueueName, { pollingIntervalSeconds: options.pollingIntervalSeconds, batchSize: 1 }, async (jobs) => {
      for (const job of jobs) {
        options.onJob?.('start', job.data);
        const outcome = await processRecipeBuildJob(deps, job.data);
        options.onJob?.('done', job.data, outcome);
      }
    });
    timer = setInterval(() => {
      sweep().catch((error) => console.error('[builds] sweep failed', error));
    }, (options.sweepIntervalSeconds ?? 10) * 1000);
    timer.unref();
  }
  return {
    queue,
    sweep,
    async stop() {
      if (timer) clearInterval(timer);
      // A build step can run for hours: it is stopped, and its part (no longer renewed) is taken up by another worker.
      killRunningBuildSteps();
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
