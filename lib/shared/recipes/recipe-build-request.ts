import { z } from 'zod';

/** How a build finds its recipe again, in another thread, process or machine. */
export const recipeRefSchema = z.discriminatedUnion('kind', [
  /** recipes/<name>/recipe.ts of the repository every worker runs. */
  z.object({ kind: z.literal('builtin'), name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/) }),
  /** A TypeScript recipe module (its default export). */
  z.object({ kind: z.literal('module'), path: z.string().min(1) }),
  /** A JSON lep-had recipe (`pipeline build recipe.json`). */
  z.object({ kind: z.literal('json'), path: z.string().min(1) }),
]);
export type RecipeRef = z.infer<typeof recipeRefSchema>;

/** What a build changes in its recipe: other files for some samples, another version label. */
export const recipeOverridesSchema = z.object({
  sampleFiles: z.record(z.string(), z.array(z.string().min(1)).min(1)).optional(),
  version: z.string().min(1).optional(),
});
export type RecipeOverrides = z.infer<typeof recipeOverridesSchema>;

/**
 * A queued build (`builds/<id>/request.json` under DATA_DIR), written by the server or `pipeline build --queue` and
 * read by the workers' build steps. `inputsDir` is relative to DATA_DIR unless absolute, so that workers that mount
 * DATA_DIR elsewhere still find the files.
 */
export const recipeBuildRequestSchema = z.object({
  recipe: recipeRefSchema,
  inputsDir: z.string().min(1),
  overrides: recipeOverridesSchema.default({}),
  batchEntries: z.number().int().positive().nullable().default(null),
  /** The version's createdAt (written into every file): the same for every worker, so the bytes are too. */
  createdAt: z.string().min(1),
  overwrite: z.boolean().default(false),
});
export type RecipeBuildRequest = z.infer<typeof recipeBuildRequestSchema>;

/** Messages a build step's process sends its worker (over the IPC channel). */
export type BuildStepMessage =
  | { type: 'progress'; entriesDone: number; entriesTotal: number }
  | { type: 'planned'; dataset: string; version: string; title: string; parts: { index: number; sample: string; variation: string | null; file: string }[] }
  | { type: 'part-done'; entries: number; selectedEvents: number; rows: number }
  | { type: 'merged'; dataset: string; version: string; outDir: string }
  | { type: 'error'; code: string; message: string; details: Record<string, unknown> };
