/**
 * Entry point of `npm run pipeline` (the commands live in lib/pipeline/run-pipeline-cli.ts). Besides what
 * lib/pipeline/cli.ts does, it gives `build --queue` the job queue of lib/server, which the pipeline itself may not
 * import (layers): the build is recorded in PostgreSQL and its steps run on the workers (`npm run worker`).
 */
import { env } from '@/lib/env';
import { removePendingTemporaryDirs } from '@/lib/pipeline/datasets/write-dataset-version';
import { formatBuildProgress } from '@/lib/pipeline/recipes/build-progress';
import type { RecipeBuildQueueClient } from '@/lib/pipeline/recipes/recipe-build-queue';
import { runPipelineCli } from '@/lib/pipeline/run-pipeline-cli';

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    removePendingTemporaryDirs();
    process.stderr.write(`\n[pipeline] interrupted (${signal}); no dataset was written\n`);
    process.exit(130);
  });
}

async function openBuildQueue(): Promise<RecipeBuildQueueClient> {
  const { openBuildQueueClient } = await import('@/lib/server/builds/open-build-queue-client');
  const client = await openBuildQueueClient({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR, pollingIntervalSeconds: env.SCORING_POLL_SECONDS });
  return {
    submit: (request) => client.submit(request),
    async wait(buildId, onProgress) {
      let last = '';
      let lastStatus = '';
      let printedAt = 0;
      // The build is looked at four times a second, so that the command returns soon after the merge; a line is
      // printed when the status changes and otherwise at most once a second.
      const build = await client.wait(buildId, (b) => {
        const line = `${b.status}: ${formatBuildProgress({ filesDone: b.filesDone, files: b.files, entriesDone: b.entriesDone, entriesEstimate: b.entriesEstimate, eventsPerSecond: b.eventsPerSecond, etaSeconds: b.etaSeconds })}`;
        if (line !== last && (b.status !== lastStatus || Date.now() - printedAt >= 1000)) {
          onProgress(line);
          last = line;
          printedAt = Date.now();
        }
        lastStatus = b.status;
      }, 250);
      if (build.status === 'failed') return { status: 'failed', buildId, error: build.error ?? 'failed' };
      return { status: 'done', buildId, dataset: build.datasetVersion?.dataset ?? build.dataset, version: build.datasetVersion?.version ?? build.version, outDir: `${env.DATA_DIR}/datasets/${build.dataset}/${build.version}` };
    },
    close: () => client.close(),
  };
}

void runPipelineCli(process.argv.slice(2), { stdout: (line) => process.stdout.write(`${line}\n`), stderr: (line) => process.stderr.write(`${line}\n`) }, { openBuildQueue }).then((code) => {
  process.exitCode = code;
});
