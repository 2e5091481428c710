import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import { type RecipeBuildRequest, recipeBuildRequestSchema } from '@/lib/shared/recipes/recipe-build-request';
import { assertOutDirAvailable } from '../datasets/write-dataset-version';
import { defaultJobs } from '../root/decode-pool';
import { type BuildPlan, localisePlan, relativisePlan, withOverrides } from './build-plan';
import { planRecipeBuild } from './build-recipe';
import type { Recipe } from './define-recipe';
import { loadRecipe, recipeSourceSha256 } from './load-recipe';
import { mergeBuildParts } from './merge-build-parts';
import { type PartSummary, runBuildPart } from './run-build-part';

/**
 * The three steps of a queued build, each run by a worker in a process of its own (run-build-step.ts) on any machine
 * that shares DATA_DIR. Everything they share lives in the build's folder `DATA_DIR/builds/<id>/`: request.json (from
 * the server), plan.json (from the plan step), parts/ (one folder per input file) and the merge's scratch folder.
 */
export type BuildStepContext = { buildDir: string; dataDir: string };

function readJson(file: string, what: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new AppError('INTERNAL', `The ${what} of the build in ${path.dirname(file)} cannot be read: ${(cause as Error).message}.`, { file }, { cause });
  }
}

export function readBuildRequest(ctx: BuildStepContext): RecipeBuildRequest {
  return recipeBuildRequestSchema.parse(readJson(path.join(ctx.buildDir, 'request.json'), 'request'));
}

/** The version folder a queued build writes: DATA_DIR/datasets/<dataset>/<version>. */
export function queuedOutDir(ctx: BuildStepContext, plan: Pick<BuildPlan, 'dataset' | 'version'>): string {
  return path.join(ctx.dataDir, 'datasets', plan.dataset, plan.version);
}

/** Plans the build (loads the recipe, lists every input file) and writes plan.json; fails early when the version exists. */
export async function planQueuedBuild(ctx: BuildStepContext): Promise<{ plan: BuildPlan; title: string }> {
  const request = readBuildRequest(ctx);
  const inputsDir = path.resolve(ctx.dataDir, request.inputsDir);
  const plan = await planRecipeBuild({ recipe: request.recipe, inputsDir, overrides: request.overrides, batchEntries: request.batchEntries ?? undefined });
  assertOutDirAvailable(queuedOutDir(ctx, plan), request.overwrite);
  if (plan.parts.length === 0) throw new AppError('INVALID_DATASET', `recipe "${plan.recipeName}" lists no input files.`);
  const recipe = withOverrides(await loadRecipe(plan.recipe), plan.overrides);
  const stored = relativisePlan(plan, ctx.dataDir);
  const tmp = path.join(ctx.buildDir, `plan.json.tmp-${process.pid}`);
  fs.writeFileSync(tmp, `${JSON.stringify(stored, null, 1)}\n`);
  fs.renameSync(tmp, path.join(ctx.buildDir, 'plan.json'));
  return { plan: stored, title: recipe.title };
}

/** The plan and the recipe as this machine sees them; the recipe must be the one the build was planned with. */
export async function loadPlannedRecipe(ctx: BuildStepContext): Promise<{ plan: BuildPlan; recipe: Recipe }> {
  const plan = localisePlan(readJson(path.join(ctx.buildDir, 'plan.json'), 'plan') as BuildPlan, ctx.dataDir);
  const extra = plan.dsidTableFile && fs.existsSync(plan.dsidTableFile) ? [plan.dsidTableFile] : [];
  const sha256 = await recipeSourceSha256(plan.recipe, extra);
  if (sha256 !== plan.recipeSha256) {
    throw new AppError('CONFLICT', `The recipe "${plan.recipeName}" on this worker (sha256 ${sha256.slice(0, 12)}…) is not the one the build was planned with (${plan.recipeSha256.slice(0, 12)}…); run the same checkout on every worker.`, {
      expected: plan.recipeSha256, found: sha256,
    });
  }
  return { plan, recipe: withOverrides(await loadRecipe(plan.recipe), plan.overrides) };
}

export const partsDirOf = (ctx: BuildStepContext) => path.join(ctx.buildDir, 'parts');

/** Builds one part (one input file); a part already in place is left as it is. */
export async function runQueuedPart(ctx: BuildStepContext, partIndex: number, onProgress?: (entriesDone: number, entriesTotal: number) => void): Promise<PartSummary> {
  const { plan, recipe } = await loadPlannedRecipe(ctx);
  return runBuildPart({ plan, recipe, partIndex, partsDir: partsDirOf(ctx), jobs: 1, onProgress });
}

/**
 * Merges the parts into DATA_DIR/datasets/<dataset>/<version>. The merge is one job that no other worker can share, so
 * on a machine with two cores or more it encodes the version's files on two writer threads, as `--jobs 2` does.
 */
export async function mergeQueuedBuild(ctx: BuildStepContext, onProgress?: (message: string) => void): Promise<{ dataset: string; version: string; outDir: string }> {
  const request = readBuildRequest(ctx);
  const { plan, recipe } = await loadPlannedRecipe(ctx);
  const outDir = queuedOutDir(ctx, plan);
  await mergeBuildParts({ plan, recipe, partsDir: partsDirOf(ctx), outDir, overwrite: request.overwrite, createdAt: request.createdAt, scratchDir: path.join(ctx.buildDir, 'merge'), writerThreads: defaultJobs() >= 2 ? 2 : 1, onProgress });
  return { dataset: plan.dataset, version: plan.version, outDir: path.relative(ctx.dataDir, outDir) };
}
