import 'server-only';
import { builtinChallenges } from '@/challenges';
import { env } from '@/lib/env';
import { isAppError } from '@/lib/shared/app-error';
import { syncChallengeDefinition } from '../challenges/sync-challenge-definition';
import { getDatabase } from '../database';
import { registerLocalDatasetVersions } from '../datasets/register-local-dataset-versions';
import { setScoringQueueRuntime } from '../jobs/get-scoring-queue';
import { startScoringQueue } from '../jobs/scoring-queue';
import { seedDemoAccounts } from '../seed/seed-demo-accounts';

/**
 * Server start (instrumentation.ts): migrate, register dataset versions found under DATA_DIR, sync the built-in
 * challenges, seed the demo accounts and start the scoring queue. A built-in challenge whose dataset is missing is
 * reported and skipped, so the rest of the platform still serves.
 */
export async function startPlatform(): Promise<void> {
  const handle = await getDatabase();
  const datasets = await registerLocalDatasetVersions(handle.db, env.DATA_DIR);
  console.log(`[hep-arena] database: ${handle.kind === 'pglite' ? `embedded PGlite in ${env.DATA_DIR}` : 'PostgreSQL'}; datasets: ${datasets.join(', ') || 'none'}`);
  for (const definition of builtinChallenges) {
    try {
      await syncChallengeDefinition(handle.db, definition);
    } catch (error) {
      if (!isAppError(error)) throw error;
      console.warn(`[hep-arena] challenge ${definition.slug} not published: ${error.message} Build it with: npm run pipeline -- toy --out ${env.DATA_DIR}/datasets/${definition.dataset.id}/${definition.dataset.version}`);
    }
  }
  if (env.SEED_DEMO_ACCOUNTS) {
    const accounts = await seedDemoAccounts(handle.db);
    console.log('[hep-arena] demo accounts (change or disable with SEED_DEMO_ACCOUNTS=false outside a demo):');
    for (const a of accounts) console.log(`[hep-arena]   ${a.role.padEnd(11)} ${a.email}  password: ${a.password}`);
  }
  const runtime = await startScoringQueue(handle, {
    dataDir: env.DATA_DIR,
    isWorker: handle.kind === 'pglite' || env.RUN_WORKERS,
    pollingIntervalSeconds: env.SCORING_POLL_SECONDS,
  });
  setScoringQueueRuntime(runtime);
  await runtime.sweep();
}
