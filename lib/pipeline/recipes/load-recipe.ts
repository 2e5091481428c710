import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { builtinRecipes } from '@/recipes';
import { recipeFromLegacyJson } from '@/recipes/lep-had/from-legacy-json';
import type { RecipeRef } from './build-plan';
import { defineRecipe, type Recipe, type RecipeInput } from './define-recipe';

/**
 * This module's URL; empty where it is bundled as CommonJS (a worker thread's bundle), which never needs it. No
 * directory global here: the precompiled bundles rewrite it at module level, which a CommonJS worker bundle cannot evaluate.
 */
const moduleUrl = (): string => (typeof import.meta === 'object' && import.meta.url ? import.meta.url : pathToFileURL(path.join(process.cwd(), 'package.json')).href);

let root: string | null = null;

/**
 * The repository's root, where recipes/ lives: the first folder holding package.json and recipes/index.ts above this module (from
 * source, or from a bundle in dist/cli/), else above the working directory.
 */
export function repositoryRoot(): string {
  if (root) return root;
  for (const start of [path.dirname(fileURLToPath(moduleUrl())), process.cwd()]) {
    for (let dir = start; ; dir = path.dirname(dir)) {
      if (fs.existsSync(path.join(dir, 'recipes', 'index.ts')) && fs.existsSync(path.join(dir, 'package.json'))) return (root = dir);
      if (path.dirname(dir) === dir) break;
    }
  }
  return (root = process.cwd());
}

/** The folder of a built-in recipe. */
export function builtinRecipeDir(name: string): string {
  return path.join(repositoryRoot(), 'recipes', name);
}

function isRecipe(value: unknown): value is Recipe {
  return typeof value === 'object' && value !== null && 'featureColumns' in value && 'features' in value;
}

/** What a recipe module exports by default instead of a recipe, in words (the loaders' CommonJS wrapping seen through). */
function describeDefaultExport(exported: unknown, module: Record<string, unknown>): string {
  if (exported === undefined || exported === module) return 'has no default export';
  if (exported === null) return 'exports null by default, not a recipe';
  if (Array.isArray(exported)) return 'exports an array by default, not a recipe';
  if (typeof exported !== 'object') return `exports a ${typeof exported} by default, not a recipe`;
  const keys = Object.keys(exported);
  // A module without a default export, compiled to CommonJS, has its (here empty) exports object as its default.
  return keys.length === 0 ? 'has no default export' : `exports no recipe by default (an object with the keys ${keys.slice(0, 8).join(', ')})`;
}

/** The recipe a reference names: a built-in one by name, a TypeScript module's default export, or a JSON lep-had recipe. */
export async function loadRecipe(ref: RecipeRef): Promise<Recipe> {
  if (ref.kind === 'builtin') {
    const recipe = builtinRecipes.find((r) => r.name === ref.name);
    if (!recipe) throw new AppError('NOT_FOUND', `There is no built-in recipe "${ref.name}"; the built-in recipes are ${builtinRecipes.map((r) => r.name).join(', ')}.`, { column: 'recipe' });
    return recipe;
  }
  if (ref.kind === 'json') {
    let json: unknown;
    try {
      json = JSON.parse(await fs.promises.readFile(ref.path, 'utf8'));
    } catch (cause) {
      throw new AppError('BAD_REQUEST', `Cannot read recipe ${ref.path}: ${cause instanceof Error ? cause.message : String(cause)}.`, { file: ref.path }, { cause });
    }
    return recipeFromLegacyJson(json, path.basename(ref.path));
  }
  let module: Record<string, unknown>;
  try {
    module = await importModule(path.resolve(ref.path));
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    throw new AppError('BAD_REQUEST', `Cannot load recipe ${ref.path}: ${cause instanceof Error ? cause.message : String(cause)}.`, { file: ref.path }, { cause });
  }
  // Loaders may wrap a CommonJS-compiled module's exports in `default` once or twice.
  const unwrap = (value: unknown): unknown => {
    let current = value;
    for (let depth = 0; depth < 3 && typeof current === 'object' && current !== null && !isRecipe(current) && 'default' in current; depth++) current = (current as { default: unknown }).default;
    return current;
  };
  const found = [unwrap(module), module.recipe].find((c) => typeof c === 'object' && c !== null && ('featureColumns' in c || 'features' in c));
  if (!found) throw new AppError('BAD_REQUEST', `Recipe module ${ref.path} ${describeDefaultExport(unwrap(module), module)}; end it with \`export default defineRecipe({ … })\`.`, { file: ref.path });
  return isRecipe(found) ? found : defineRecipe(found as RecipeInput);
}

/**
 * Imports a recipe module: natively where TypeScript imports are hooked (tsx, vitest); through tsx's import API where
 * they are not (the precompiled CLI); through require in a worker thread, which has tsx's require hook only.
 */
async function importModule(file: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(file).href;
  const isUnhooked = (error: unknown) => ['ERR_UNKNOWN_FILE_EXTENSION', 'ERR_MODULE_NOT_FOUND'].includes((error as NodeJS.ErrnoException).code ?? '');
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (!isUnhooked(error)) throw error;
  }
  try {
    const { tsImport } = (await import('tsx/esm/api')) as { tsImport: (specifier: string, parent: string) => Promise<Record<string, unknown>> };
    return await tsImport(url, moduleUrl());
  } catch {
    // A worker thread evaluated from a string has no module file for tsx's import API: its require hook instead.
    const require = createRequire(moduleUrl());
    (require('tsx/cjs/api') as { register: () => void }).register();
    return require(file) as Record<string, unknown>;
  }
}

/** Which reference a command-line argument is: a `.json` file, a `.ts`/`.js` module, or the name of a built-in recipe. */
export function recipeRefOf(argument: string): RecipeRef {
  if (/\.json$/i.test(argument)) return { kind: 'json', path: path.resolve(argument) };
  if (/\.(ts|mts|js|mjs)$/i.test(argument)) return { kind: 'module', path: path.resolve(argument) };
  if (/^[a-z0-9][a-z0-9-]*$/.test(argument) && fs.existsSync(builtinRecipeDir(argument))) return { kind: 'builtin', name: argument };
  throw new AppError('BAD_REQUEST', `"${argument}" is neither a recipe file (.ts, .json) nor a built-in recipe (${listBuiltinRecipeNames().join(', ')}).`, { file: argument });
}

export function listBuiltinRecipeNames(): string[] {
  const dir = path.join(repositoryRoot(), 'recipes');
  return fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory() && fs.existsSync(path.join(dir, d.name, 'recipe.ts'))).map((d) => d.name).sort() : [];
}

/**
 * sha256 of the recipe's source: a built-in recipe's folder (every file but tests), a module or a JSON recipe (with the
 * CSV table it names). Recorded in the manifest, and checked by every worker of a queued build.
 */
export async function recipeSourceSha256(ref: RecipeRef, extraFiles: readonly string[] = []): Promise<string> {
  const hash = createHash('sha256');
  const files: string[] = [];
  if (ref.kind === 'builtin') {
    const dir = builtinRecipeDir(ref.name);
    const walk = (d: string) => {
      for (const entry of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        const full = path.join(d, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (!/\.test\.ts$/.test(entry.name)) files.push(full);
      }
    };
    walk(dir);
  } else {
    files.push(ref.path);
  }
  files.push(...extraFiles);
  for (const file of files) {
    hash.update(`${path.basename(file)}\n`);
    hash.update(await fs.promises.readFile(file));
  }
  return hash.digest('hex');
}
