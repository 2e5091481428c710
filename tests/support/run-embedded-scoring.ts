/**
 * The scoring side of `npm start` on the embedded database, without the web pages: opens DATA_DIR's PGlite, starts the
 * queue as the server does (the only worker, default job timeout) and runs the start-up sweep. Prints `ready`, and
 * `scoring <id>` / `<outcome> <id>` per job, like `npm run worker`. Crash-recovery tests SIGKILL and restart it.
 */
import { openDatabase } from '@/db/client';
import { startScoringQueue } from '@/lib/server/jobs/scoring-queue';

async function main() {
  const dataDir = process.argv[2] ?? '';
  const handle = await openDatabase({ dataDir });
  await handle.migrate();
  const runtime = await startScoringQueue(handle, {
    dataDir,
    isWorker: true,
    pollingIntervalSeconds: 0.5,
    onJob: (event, submissionId, outcome) => console.log(`${event === 'start' ? 'scoring' : outcome} ${submissionId}`),
  });
  await runtime.sweep({ isSoleProcess: true });
  console.log('ready');
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      void runtime
        .stop()
        .then(() => handle.close())
        .then(() => process.exit(0));
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
