import 'server-only';
import { builtinChallenges } from '@/challenges';
import { env } from '@/lib/env';
import { isAppError } from '@/lib/shared/app-error';
import { syncChallengeDefinition } from '../challenges/sync-challenge-definition';
import { getDatabase } from '../database';
import { publishBuiltinDatasetVersion } from '../datasets/publish-builtin-dataset-version';
import { registerLocalDatasetVersions } from '../datasets/register-local-dataset-versions';
import { watchTableChanges } from '../cache/watch-table-changes';
import { expireVisitorBoards } from '../http/expire-visitor-boards';
import { watchBoardChanges } from '../leaderboards/watch-board-changes';
import { setDatasetOwner } from '../datasets/set-dataset-owner';
import { setRecipeBuildQueueRuntime } from '../jobs/get-recipe-build-queue';
import { setScoringQueueRuntime } from '../jobs/get-scoring-queue';
import { startRecipeBuildQueue } from '../jobs/recipe-build-queue';
import { startScoringQueue } from '../jobs/scoring-queue';
import { seedBuiltinBaseline } from '../seed/seed-builtin-baseline';
import { seedDemoAccounts } from '../seed/seed-demo-accounts';

/**
 * Server start (instrumentation.ts): migrate, register dataset versions found under DATA_DIR, seed the demo
 * accounts, sync the built-in challenges (published, owned by the demo organiser when demo accounts are seeded,
 * else by nobody so that only admins organise them; their datasets likewise, unless an owner was set) and start
 * the scoring queue, and listen for board changes (each expires this server's visitors' cached boards). A built-in
 * challenge whose dataset is missing is reported and skipped, so the rest of the platform still serves; one that
 * organisers changed in the web UI keeps their changes unless its file's revision is higher. A built-in dataset that
 * ships an organiser baseline (`baseline_submission.csv`) gets it pinned on the board once, owned by the demo organiser.
 */
export async function startPlatform(): Promise<void> {
  const handle = await getDatabase();
  // On the embedded database, reads of users, sessions, tokens, challenges and boards are memoised until written.
  await watchTableChanges(handle);
  const datasets = await registerLocalDatasetVersions(handle.db, env.DATA_DIR);
  console.log(`[hep-arena] database: ${handle.kind === 'pglite' ? `embedded PGlite in ${env.DATA_DIR}` : 'PostgreSQL'}; datasets: ${datasets.join(', ') || 'none'}`);
  const accounts = env.SEED_DEMO_ACCOUNTS ? await seedDemoAccounts(handle.db) : [];
  const owner = accounts.find((a) => a.role === 'organiser')?.id ?? null;
  const published: string[] = [];
  for (const definition of builtinChallenges) {
    try {
      const result = await syncChallengeDefinition(handle.db, definition, { createdBy: owner, publish: true, keepOrganiserEdits: true });
      if (owner) await setDatasetOwner(handle.db, definition.dataset.id, owner, { onlyIfUnowned: true });
      await publishBuiltinDatasetVersion(handle.db, definition.dataset);
      published.push(definition.slug);
      if (result.outcome === 'kept-organiser-edits') {
        console.log(
          `[hep-arena] challenge ${definition.slug}: kept the changes organisers made in the web UI (revision ${result.revision}); raise the revision in challenges/${definition.slug}/challenge.ts above ${result.revision} to replace them with the file.`,
        );
      }
    } catch (error) {
      if (!isAppError(error)) throw error;
      console.warn(`[hep-arena] challenge ${definition.slug} not published: ${error.message} Restart with "npm start", which builds the built-in toy datasets that are missing.`);
    }
  }
  if (accounts.length > 0) {
    console.log('[hep-arena] demo accounts (change or disable with SEED_DEMO_ACCOUNTS=false outside a demo):');
    for (const a of accounts) console.log(`[hep-arena]   ${a.role.padEnd(11)} ${a.email}  password: ${a.password}`);
  }
  const runtime = await startScoringQueue(handle, {
    dataDir: env.DATA_DIR,
    isWorker: handle.kind === 'pglite' || env.RUN_WORKERS,
    pollingIntervalSeconds: env.SCORING_POLL_SECONDS,
    jobTimeoutSeconds: env.SCORING_JOB_TIMEOUT_SECONDS,
    maintenanceIntervalSeconds: env.QUEUE_MAINTENANCE_SECONDS,
  });
  setScoringQueueRuntime(runtime);
  const builds = await startRecipeBuildQueue(handle, {
    dataDir: env.DATA_DIR,
    isWorker: handle.kind === 'pglite' || env.RUN_WORKERS,
    pollingIntervalSeconds: env.SCORING_POLL_SECONDS,
    staleAfterSeconds: env.RECIPE_BUILD_STALE_SECONDS,
  });
  setRecipeBuildQueueRuntime(builds);
  // A new score (from this process or any worker) expires this server's cached visitor boards at once.
  await watchBoardChanges(handle, () => expireVisitorBoards());
  if (owner) {
    for (const slug of published) {
      try {
        const seeded = await seedBuiltinBaseline({ db: handle.db, dataDir: env.DATA_DIR, queue: runtime.queue }, slug, owner);
        if (seeded.outcome === 'created') console.log(`[hep-arena] challenge ${slug}: pinned the organiser baseline of its dataset on the board`);
      } catch (error) {
        if (!isAppError(error)) throw error;
        console.warn(`[hep-arena] challenge ${slug}: its dataset's baseline submission was not seeded: ${error.message}`);
      }
    }
  }
  // On the embedded database this is the only process: what was scoring or queued when the last one died is queued
  // again at once, and every upload scratch file is an interrupted upload's.
  await runtime.sweep({ isSoleProcess: handle.kind === 'pglite' });
  await builds.sweep({ isSoleProcess: handle.kind === 'pglite' });
}
