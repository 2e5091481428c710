import 'server-only';
import { z } from 'zod';
import { builtinRecipes } from '@/recipes';
import { AppError } from '@/lib/shared/app-error';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from '../organiser/assert-can-create-challenges';
import { submitRecipeBuild } from './submit-recipe-build';
import { DATASET_VERSION_PATTERN, DATASET_VERSION_RULE } from '@/lib/shared/dataset-version-label';

const inputSchema = z.object({
  recipe: z.string().min(1, { error: 'Choose a recipe.' }),
  version: z
    .string()
    .trim()
    .refine((v) => v === '' || DATASET_VERSION_PATTERN.test(v), { error: `A version is ${DATASET_VERSION_RULE}.` })
    .optional(),
});

/**
 * Starts a queued build of a recipe of the repository from the organiser page: its files are read from
 * DATA_DIR/downloads (where `pipeline fetch` puts them), the workers build it, and the finished version is registered
 * as the organiser's own (private until they publish it). Audit-logged.
 */
export async function startRecipeBuild(ctx: ServiceContext, input: { recipe: string; version?: string }): Promise<{ id: string }> {
  assertCanCreateChallenges(ctx);
  const parsed = inputSchema.parse(input);
  const recipe = builtinRecipes.find((r) => r.name === parsed.recipe);
  if (!recipe) throw new AppError('NOT_FOUND', `There is no recipe "${parsed.recipe}"; the recipes are ${builtinRecipes.map((r) => r.name).join(', ')}.`);
  if (!ctx.buildQueue) throw new AppError('UNAVAILABLE', 'The build queue is not running in this process; try again in a moment.');
  const version = parsed.version || recipe.version;
  const now = ctx.now();
  const { id } = await submitRecipeBuild(
    { db: ctx.db, dataDir: ctx.dataDir, queue: ctx.buildQueue, now: ctx.now },
    {
      request: { recipe: { kind: 'builtin', name: recipe.name }, inputsDir: 'downloads', overrides: parsed.version ? { version } : {}, batchEntries: null, createdAt: now.toISOString(), overwrite: false },
      recipeName: recipe.name,
      dataset: recipe.dataset,
      version,
      title: recipe.title,
      ownerId: ctx.user.id,
    },
  );
  await recordAuditEvent(ctx.db, { actorId: ctx.user.id, action: 'dataset.build', target: `build:${id}`, details: { recipe: recipe.name, dataset: recipe.dataset, version }, at: now });
  return { id };
}
