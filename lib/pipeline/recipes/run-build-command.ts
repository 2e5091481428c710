import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { env } from '@/lib/env';
import { defaultJobs } from '../root';
import { type RecipeOverrides, withOverrides } from './build-plan';
import { buildRecipe, defaultInputsDir } from './build-recipe';
import { loadRecipe, recipeRefOf } from './load-recipe';
import type { RecipeBuildQueueClient } from './recipe-build-queue';

export type BuildCommandInput = {
  recipe: string;
  out?: string;
  inputs?: string;
  /** `name=a.root,b/*.root`, repeatable. */
  samples: readonly string[];
  version?: string;
  createdAt?: string;
  overwrite: boolean;
  jobs?: number;
  batchEntries?: number;
  queue: boolean;
  /** With --queue: the organiser (e-mail) the finished version is registered to. */
  owner?: string;
  openQueue?: () => Promise<RecipeBuildQueueClient>;
  onProgress: (message: string) => void;
};

function parseSampleOverrides(values: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const value of values) {
    const [name, files] = value.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!name || !files) throw new AppError('BAD_REQUEST', `--sample needs name=file[,file…], got "${value}" (see --help)`);
    out[name.trim()] = files.split(',').map((f) => f.trim()).filter(Boolean);
  }
  return out;
}

/**
 * `pipeline build <recipe.ts | recipe.json | built-in name>`: here on `--jobs` threads, or with `--queue` as one job per
 * input file on the workers of the PostgreSQL queue. Returns the summary line printed on stdout.
 */
export async function runBuildCommand(input: BuildCommandInput): Promise<Record<string, unknown>> {
  const ref = recipeRefOf(input.recipe);
  const overrides: RecipeOverrides = { sampleFiles: parseSampleOverrides(input.samples), ...(input.version ? { version: input.version } : {}) };
  if (Object.keys(overrides.sampleFiles ?? {}).length === 0) delete overrides.sampleFiles;
  const inputsDir = path.resolve(input.inputs ?? defaultInputsDir(ref) ?? path.join(env.DATA_DIR, 'downloads'));
  if (input.owner && !input.queue) throw new AppError('BAD_REQUEST', '--owner applies to --queue builds (a local build is registered by the server when it rescans DATA_DIR).');
  if (input.queue) {
    if (!input.openQueue) throw new AppError('BAD_REQUEST', 'build --queue needs the job queue; run it through `npm run pipeline` (scripts/pipeline.ts).');
    if (input.out) throw new AppError('BAD_REQUEST', '--out does not apply to --queue: a queued build writes DATA_DIR/datasets/<dataset>/<version>, which every worker shares.');
    const recipe = withOverrides(await loadRecipe(ref), overrides);
    const queue = await input.openQueue();
    try {
      const about = { recipeName: recipe.name, dataset: recipe.dataset, version: recipe.version, title: recipe.title };
      const { buildId } = await queue.submit({ recipe: ref, inputsDir, overrides, batchEntries: input.batchEntries ?? null, createdAt: input.createdAt ?? null, overwrite: input.overwrite, about, ownerEmail: input.owner ?? null });
      input.onProgress(`queued build ${buildId}: one job per input file on the workers of the queue`);
      const outcome = await queue.wait(buildId, input.onProgress);
      if (outcome.status === 'failed') throw new AppError('INVALID_DATASET', `queued build ${buildId} failed: ${outcome.error}`);
      return { dataset: outcome.dataset, version: outcome.version, outDir: outcome.outDir, buildId };
    } finally {
      await queue.close();
    }
  }
  const manifest = await buildRecipe({
    recipe: ref,
    inputsDir,
    overrides,
    batchEntries: input.batchEntries,
    outDir: (plan) => path.resolve(input.out ?? path.join(env.DATA_DIR, 'datasets', plan.dataset, plan.version)),
    overwrite: input.overwrite,
    createdAt: input.createdAt,
    jobs: input.jobs ?? defaultJobs(),
    onProgress: input.onProgress,
  });
  const outDir = path.resolve(input.out ?? path.join(env.DATA_DIR, 'datasets', manifest.dataset, manifest.version));
  return { dataset: manifest.dataset, version: manifest.version, outDir, rows: Object.fromEntries(manifest.files.map((f) => [f.name, f.rows])) };
}
