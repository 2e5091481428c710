import 'server-only';
import PgBoss from 'pg-boss';
import type { DatabaseHandle } from '@/db/client';
import type { ScoringQueue } from '../context';
import { scoreSubmission } from '../scoring/score-submission';
import { sweepUploadScratch } from '../storage/sweep-upload-scratch';
import { recoverStuckSubmissions } from './recover-stuck-submissions';

export const scoringQueueName = 'score-submission';

export type ScoringQueueRuntime = {
  queue: ScoringQueue;
  /**
   * Runs the stuck-submission and upload-scratch sweep once (also on a timer while workers are on). `isSoleProcess`:
   * this process just started and is the only one using the database (embedded PGlite), so whatever was in flight
   * belonged to a process that is gone.
   */
  sweep(options?: { isSoleProcess?: boolean }): Promise<void>;
  stop(): Promise<void>;
};

export type StartScoringQueueOptions = {
  dataDir: string;
  /** Whether this process also scores (the embedded server always does; PostgreSQL web servers may not). */
  isWorker: boolean;
  pollingIntervalSeconds: number;
  /** How often workers look for submissions whose worker died (default 10 s: recovery within a minute). */
  sweepIntervalSeconds?: number;
  /** A job running longer is expired and retried (default 600 s): a worker killed mid-job loses nothing. */
  jobTimeoutSeconds?: number;
  /** How often pg-boss expires overdue jobs (default 60 s). */
  maintenanceIntervalSeconds?: number;
  /** Called when this process starts and finishes a job (the worker logs them). */
  onJob?: (event: 'start' | 'done', submissionId: string, outcome?: string) => void;
};

/**
 * pg-boss on the process database: on PGlite through the handle's own connection (workers live inside the
 * server process), on PostgreSQL through its own pool. Jobs carry only the submission id.
 */
export async function startScoringQueue(handle: DatabaseHandle, options: StartScoringQueueOptions): Promise<ScoringQueueRuntime> {
  const maintenance = { maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60 };
  const boss =
    handle.kind === 'postgres' && handle.url
      ? new PgBoss({ connectionString: handle.url, max: 4, ...maintenance })
      : new PgBoss({ db: handle.sql as PgBoss.Db, ...maintenance });
  const jobTimeoutSeconds = options.jobTimeoutSeconds ?? 600;
  boss.on('error', (error) => console.error('[queue]', error));
  // pg-boss creates its schema and the queue on first start; processes starting together would deadlock doing so.
  await handle.withSetupLock(async () => {
    await boss.start();
    if (!(await boss.getQueue(scoringQueueName))) {
      // A crashed worker's job expires and is retried; scoring is idempotent, so a retry is safe.
      await boss.createQueue(scoringQueueName, { name: scoringQueueName, retryLimit: 3, retryDelay: 5, expireInSeconds: 600 });
    }
  });
  const queue: ScoringQueue = {
    async enqueueScoring(submissionId) {
      await boss.send(scoringQueueName, { submissionId }, { expireInSeconds: jobTimeoutSeconds, retryLimit: 3, retryDelay: 2 });
    },
  };
  let lastScratchSweep = 0;
  const sweep = async (sweepOptions: { isSoleProcess?: boolean } = {}) => {
    const now = new Date();
    const recovered = await recoverStuckSubmissions({
      db: handle.db,
      queue,
      now: () => now,
      isSoleWorkerStarting: sweepOptions.isSoleProcess === true,
      mayHaveOtherWorkers: handle.kind === 'postgres',
    });
    if (recovered.requeued + recovered.failed > 0) console.log(`[queue] recovered: ${recovered.requeued} queued again, ${recovered.failed} failed`);
    // The upload folder is scanned at most once a minute (and always at start).
    if (sweepOptions.isSoleProcess || now.getTime() - lastScratchSweep >= 60_000) {
      lastScratchSweep = now.getTime();
      const scratch = await sweepUploadScratch(options.dataDir, { isSoleProcess: sweepOptions.isSoleProcess === true, now });
      if (scratch.files > 0) console.log(`[queue] removed ${scratch.files} scratch file(s) of interrupted uploads (${scratch.bytes} bytes)`);
    }
  };
  let timer: NodeJS.Timeout | null = null;
  if (options.isWorker) {
    await boss.work<{ submissionId: string }>(
      scoringQueueName,
      { pollingIntervalSeconds: options.pollingIntervalSeconds, batchSize: 1 },
      async (jobs) => {
        for (const job of jobs) {
          options.onJob?.('start', job.data.submissionId);
          const outcome = await scoreSubmission({ db: handle.db, dataDir: options.dataDir }, job.data.submissionId);
          options.onJob?.('done', job.data.submissionId, outcome.status);
        }
      },
    );
    timer = setInterval(() => {
      sweep().catch((error) => console.error('[queue] sweep failed', error));
    }, (options.sweepIntervalSeconds ?? 10) * 1000);
    timer.unref();
  }
  return {
    queue,
    sweep,
    async stop() {
      if (timer) clearInterval(timer);
      await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
    },
  };
}
