import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { prepareTableFilesThreads } from '../datasets/table-files-thread';
import { assertOutDirAvailable, trackPendingTemporaryDir } from '../datasets/write-dataset-version';
import { type BuildPlan, planParts, type RecipeOverrides, type RecipeRef, withOverrides } from './build-plan';
import { BuildProgress, formatBuildProgress } from './build-progress';
import { dsidTableFileOf } from './dsid-table';
import { loadRecipe, recipeSourceSha256 } from './load-recipe';
import { mergeBuildParts } from './merge-build-parts';
import { runParts } from './run-parts';

export type PlanRecipeBuildOptions = {
  recipe: RecipeRef;
  /** Folder relative sample files and the DSID table resolve against (default: a recipe file's own folder). */
  inputsDir?: string;
  overrides?: RecipeOverrides;
  batchEntries?: number;
};

/** The default folder of relative paths: the recipe file's own folder (a built-in recipe needs one given). */
export function defaultInputsDir(ref: RecipeRef): string | null {
  return ref.kind === 'builtin' ? null : path.dirname(ref.path);
}

/** Loads the recipe, applies the overrides and lists every input file as a part. */
export async function planRecipeBuild(options: PlanRecipeBuildOptions): Promise<BuildPlan> {
  const overrides = options.overrides ?? {};
  const recipe = withOverrides(await loadRecipe(options.recipe), overrides);
  const inputsDir = path.resolve(options.inputsDir ?? defaultInputsDir(options.recipe) ?? '.');
  const dsidTableFile = dsidTableFileOf(recipe, inputsDir);
  return {
    recipe: options.recipe,
    recipeSha256: await recipeSourceSha256(options.recipe, dsidTableFile && fs.existsSync(dsidTableFile) ? [dsidTableFile] : []),
    recipeName: recipe.name,
    dataset: recipe.dataset,
    version: recipe.version,
    inputsDir,
    dsidTableFile,
    batchEntries: options.batchEntries ?? null,
    overrides,
    parts: planParts(recipe, inputsDir),
  };
}

export type BuildRecipeOptions = PlanRecipeBuildOptions & {
  /** The version folder (default: chosen by the caller from the recipe's dataset and version). */
  outDir: string | ((plan: BuildPlan) => string);
  overwrite?: boolean;
  createdAt?: string;
  /** Files processed at once on worker threads (1: one after the other on this thread). */
  jobs?: number;
  /** Rows per scratch bucket of the merge (tests). */
  bucketRows?: number;
  onProgress?: (line: string) => void;
};

/**
 * `pipeline build <recipe>`: a dataset version from PHYSLITE files on this machine. Every input file is a part,
 * processed on one of `jobs` threads and written to a scratch folder beside the version; the merge then writes the
 * version. The bytes do not depend on `jobs` (nor on whether the parts ran here or on queued workers).
 */
export async function buildRecipe(options: BuildRecipeOptions): Promise<DatasetManifest> {
  const progress = options.onProgress ?? (() => {});
  const plan = await planRecipeBuild(options);
  const outDir = path.resolve(typeof options.outDir === 'function' ? options.outDir(plan) : options.outDir);
  assertOutDirAvailable(outDir, options.overwrite === true);
  const recipe = withOverrides(await loadRecipe(plan.recipe), plan.overrides);
  if (plan.parts.length === 0) throw new AppError('INVALID_DATASET', `recipe "${recipe.name}" lists no input files.`);
  const workDir = `${outDir}.build-${randomBytes(6).toString('hex')}`;
  const untrack = trackPendingTemporaryDir(workDir);
  await fs.promises.mkdir(path.dirname(outDir), { recursive: true });
  try {
    // The merge's writer threads are bundled while the parts run (esbuild works in its own process).
    const writerReady = prepareTableFilesThreads();
    const partsDir = path.join(workDir, 'parts');
    const tracker = new BuildProgress(plan.parts.length);
    let lastLine = 0;
    progress(`recipe ${recipe.name}: ${plan.parts.length} file(s), ${Math.max(1, Math.min(options.jobs ?? 1, plan.parts.length))} at a time`);
    await runParts({
      plan,
      recipe,
      partsDir,
      jobs: options.jobs ?? 1,
      onProgress: (part, done, total) => {
        tracker.update(part, done, total);
        if (performance.now() - lastLine > 1000) {
          lastLine = performance.now();
          progress(formatBuildProgress(tracker.snapshot()));
        }
      },
      onPartDone: (summary) => {
        tracker.finish(summary.index, summary.entries);
        const part = plan.parts[summary.index];
        progress(`${part?.variation ? `variation ${part.variation}: ` : ''}${part?.sample}: ${summary.fileName}: ${summary.entries} events, ${summary.selectedEvents} selected — ${formatBuildProgress(tracker.snapshot())}`);
      },
    });
    await writerReady;
    return await mergeBuildParts({ plan, recipe, partsDir, outDir, overwrite: options.overwrite, createdAt: options.createdAt, onProgress: progress, scratchDir: path.join(workDir, 'merge'), bucketRows: options.bucketRows, writerThreads: (options.jobs ?? 1) >= 2 ? 2 : 1 });
  } finally {
    await fs.promises.rm(workDir, { recursive: true, force: true });
    untrack();
  }
}
