/**
 * `npm run worker`: a worker against the PostgreSQL of DATABASE_URL: it scores submissions and runs the steps of queued
 * dataset builds (one input file at a time, in a process of its own), side by side. Any number of them, on any number of
 * machines, share the pg-boss queue with the web servers (which can then run with RUN_WORKERS=false). DATA_DIR must
 * be the same shared storage the web servers use (blob store and dataset versions).
 *
 * SIGTERM or SIGINT: stop taking jobs and finish the current one (up to 30 s), then exit 0. A second signal, or a
 * SIGKILL, exits at once; the submission it was scoring stops renewing its heartbeat, and within half a minute another
 * worker's sweep queues it again (scoring is idempotent), long before the job's own timeout.
 */
import { openDatabase } from '@/db/client';
import { env } from '@/lib/env';
import { startRecipeBuildQueue } from '@/lib/server/jobs/recipe-build-queue';
import { startScoringQueue } from '@/lib/server/jobs/scoring-queue';

const tag = `[worker ${process.pid}]`;

async function main() {
  if (!env.DATABASE_URL || !/^postgres(ql)?:\/\//.test(env.DATABASE_URL)) {
    console.error(
      `${tag} npm run worker needs DATABASE_URL=postgres://… (PostgreSQL 15+). The embedded database (PGlite) allows one ` +
        'process per data directory, so on it the web server runs the workers itself.',
    );
    process.exit(2);
  }
  const handle = await openDatabase({ url: env.DATABASE_URL, dataDir: env.DATA_DIR });
  await handle.migrate();
  const runtime = await startScoringQueue(handle, {
    dataDir: env.DATA_DIR,
    isWorker: true,
    pollingIntervalSeconds: env.SCORING_POLL_SECONDS,
    jobTimeoutSeconds: env.SCORING_JOB_TIMEOUT_SECONDS,
    maintenanceIntervalSeconds: env.QUEUE_MAINTENANCE_SECONDS,
    onJob: (event, submissionId, outcome) => console.log(`${tag} ${event === 'start' ? 'scoring' : outcome} ${submissionId}`),
  });
  const builds = await startRecipeBuildQueue(handle, {
    dataDir: env.DATA_DIR,
    isWorker: true,
    pollingIntervalSeconds: env.SCORING_POLL_SECONDS,
    staleAfterSeconds: env.RECIPE_BUILD_STALE_SECONDS,
    onJob: (event, job, outcome) => console.log(`${tag} ${event === 'start' ? `build ${job.buildId} ${job.step}${job.step === 'part' ? ` ${job.partIndex}` : ''}` : outcome}`),
  });
  await runtime.sweep();
  await builds.sweep();
  console.log(`${tag} ready: scoring and dataset-build jobs from ${new URL(env.DATABASE_URL).host}, files in ${env.DATA_DIR}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.log(`${tag} ${signal} again: exiting now; the current job will expire and be retried`);
      process.exit(1);
    }
    stopping = true;
    console.log(`${tag} ${signal}: finishing the current scoring job, handing build steps back, taking no new ones`);
    await builds.stop();
    await runtime.stop();
    await handle.close();
    console.log(`${tag} stopped`);
    process.exit(0);
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void stop(signal));
}

main().catch((error) => {
  console.error(`${tag} failed to start`, error);
  process.exit(1);
});
