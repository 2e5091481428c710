import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';
import type { RecipeOverrides, RecipeRef } from '@/lib/shared/recipes/recipe-build-request';
import { globToRegExp } from '../text/closest-names';
import type { Recipe, RecipeSample } from './define-recipe';
import { DATASET_VERSION_PATTERN, DATASET_VERSION_RULE } from '@/lib/shared/dataset-version-label';

export type { RecipeOverrides, RecipeRef };

/** One input file of a build: processed alone (a thread, a queued job), it gives one part. */
export type PlanPart = {
  index: number;
  /** Nominal samples, or the samples of an alternative-sample variation. */
  group: 'nominal' | 'alternative';
  variation: string | null;
  sample: string;
  /** Position of the sample within its group (recipe order). */
  sampleIndex: number;
  label: 0 | 1;
  process: string;
  /** Absolute path or http(s) URL. */
  file: string;
  /** Position of the file within its sample. */
  fileIndex: number;
};

/** What every part and the merge of a build agree on. */
export type BuildPlan = {
  recipe: RecipeRef;
  /** sha256 of the recipe's source files: every worker checks it loaded the same recipe. */
  recipeSha256: string;
  recipeName: string;
  dataset: string;
  version: string;
  /** Folder relative file names in the recipe resolve against. */
  inputsDir: string;
  /** The DSID table's CSV file, when the recipe names one. */
  dsidTableFile: string | null;
  /** Entries per record batch (default: the reader's ~16 MiB rule). */
  batchEntries: number | null;
  /** What the build changes in the recipe: other files for some samples, another version label. */
  overrides: RecipeOverrides;
  parts: PlanPart[];
};


const isUrl = (p: string) => /^https?:\/\//i.test(p);
const hasGlob = (p: string) => /[*?]/.test(p);

/** Files under `dir` matching a relative glob (`*`, `?` within a folder name, `**` for any depth), sorted. */
function expandGlob(dir: string, pattern: string): string[] {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  const found: string[] = [];
  const walk = (at: string, rest: string[]) => {
    const [head, ...tail] = rest;
    if (head === undefined) {
      if (fs.existsSync(at) && fs.statSync(at).isFile()) found.push(at);
      return;
    }
    if (head === '**') {
      walk(at, tail);
      for (const entry of safeReaddir(at)) if (entry.isDirectory()) walk(path.join(at, entry.name), rest);
      return;
    }
    if (!hasGlob(head)) {
      walk(path.join(at, head), tail);
      return;
    }
    const re = globToRegExp(head);
    for (const entry of safeReaddir(at)) if (re.test(entry.name)) walk(path.join(at, entry.name), tail);
  };
  walk(pattern.startsWith('/') ? '/' : dir, segments);
  return [...new Set(found)].sort();
}

function safeReaddir(dir: string): fs.Dirent[] {
  try {
    return fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** A sample's files: paths and URLs as given, globs expanded; a path or glob that finds nothing is named. */
export function resolveSampleFiles(sample: RecipeSample, inputsDir: string, where: string): string[] {
  const files: string[] = [];
  for (const entry of sample.files) {
    if (isUrl(entry)) {
      files.push(entry);
      continue;
    }
    const absolute = path.resolve(inputsDir, entry);
    if (hasGlob(entry)) {
      const matches = expandGlob(inputsDir, entry);
      if (matches.length === 0) {
        throw new AppError('INVALID_DATASET', `${where} (sample ${sample.name}): no file matches "${entry}" under ${inputsDir}.`, { file: absolute });
      }
      files.push(...matches);
    } else {
      if (!fs.existsSync(absolute)) throw new AppError('INVALID_DATASET', `${where} (sample ${sample.name}): ${absolute} does not exist.`, { file: absolute });
      files.push(absolute);
    }
  }
  return files;
}

/** The parts of a build: the nominal samples' files in recipe order, then each alternative-sample variation's. */
export function planParts(recipe: Recipe, inputsDir: string): PlanPart[] {
  const parts: PlanPart[] = [];
  const add = (group: PlanPart['group'], variation: string | null, samples: readonly RecipeSample[], where: string) => {
    samples.forEach((sample, sampleIndex) => {
      resolveSampleFiles(sample, inputsDir, `${where}.${sampleIndex}`).forEach((file, fileIndex) => {
        parts.push({ index: parts.length, group, variation, sample: sample.name, sampleIndex, label: sample.label, process: sample.process, file, fileIndex });
      });
    });
  };
  add('nominal', null, recipe.samples, 'samples');
  recipe.variations.forEach((v, i) => {
    if (v.kind === 'alternative-sample') add('alternative', v.name, v.samples, `variations.${i}.samples`);
  });
  return parts;
}

/** The recipe with a build's overrides applied (every thread, process and machine applies the same). */
export function withOverrides(recipe: Recipe, overrides: RecipeOverrides): Recipe {
  if (overrides.version !== undefined && !DATASET_VERSION_PATTERN.test(overrides.version)) {
    throw new AppError('BAD_REQUEST', `The version "${overrides.version}" for recipe "${recipe.name}" is not a version label: a dataset version is ${DATASET_VERSION_RULE}.`, { column: 'version', expected: DATASET_VERSION_RULE, found: overrides.version });
  }
  const withFiles = withSampleFiles(recipe, overrides.sampleFiles ?? {});
  return overrides.version ? Object.freeze({ ...withFiles, version: overrides.version }) : withFiles;
}

/** A recipe's samples with other files (`--sample name=a.root,b/*.root`), or an error naming the known samples. */
export function withSampleFiles(recipe: Recipe, overrides: Readonly<Record<string, readonly string[]>>): Recipe {
  if (Object.keys(overrides).length === 0) return recipe;
  const known = [...recipe.samples.map((s) => s.name), ...recipe.variations.flatMap((v) => (v.kind === 'alternative-sample' ? v.samples.map((s) => s.name) : []))];
  for (const name of Object.keys(overrides)) {
    if (!known.includes(name)) throw new AppError('BAD_REQUEST', `recipe "${recipe.name}" has no sample "${name}"; its samples are ${known.join(', ')}.`, { column: 'sample' });
  }
  const swap = (s: RecipeSample): RecipeSample => (overrides[s.name] ? { ...s, files: [...(overrides[s.name] as readonly string[])] } : s);
  return Object.freeze({
    ...recipe,
    samples: recipe.samples.map(swap),
    variations: recipe.variations.map((v) => (v.kind === 'alternative-sample' ? { ...v, samples: v.samples.map(swap) } : v)),
  });
}

const isAbsoluteOrUrl = (p: string) => isUrl(p) || path.isAbsolute(p);

/**
 * The plan as a queued build stores it: paths inside DATA_DIR made relative to it, so that workers that mount DATA_DIR
 * elsewhere resolve them against their own ({@link localisePlan}).
 */
export function relativisePlan(plan: BuildPlan, dataDir: string): BuildPlan {
  const inside = (p: string) => {
    if (isUrl(p)) return p;
    const relative = path.relative(dataDir, p);
    return relative.startsWith('..') || path.isAbsolute(relative) ? p : relative;
  };
  return { ...plan, inputsDir: inside(plan.inputsDir), dsidTableFile: plan.dsidTableFile && inside(plan.dsidTableFile), parts: plan.parts.map((p) => ({ ...p, file: inside(p.file) })) };
}

/** A stored plan with its relative paths resolved against this machine's DATA_DIR. */
export function localisePlan(plan: BuildPlan, dataDir: string): BuildPlan {
  const local = (p: string) => (isAbsoluteOrUrl(p) ? p : path.resolve(dataDir, p));
  return { ...plan, inputsDir: local(plan.inputsDir), dsidTableFile: plan.dsidTableFile && local(plan.dsidTableFile), parts: plan.parts.map((p) => ({ ...p, file: local(p.file) })) };
}
