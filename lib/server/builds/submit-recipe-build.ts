import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { recipeBuilds } from '@/db/schema';
import { type RecipeBuildRequest, recipeBuildRequestSchema } from '@/lib/shared/recipes/recipe-build-request';
import type { RecipeBuildQueue } from '../jobs/recipe-build-steps';

export type SubmitRecipeBuildDeps = { db: Database; dataDir: string; queue: RecipeBuildQueue; now: () => Date };

/**
 * Records a queued build, writes its request to DATA_DIR/builds/<id>/request.json and queues its plan step. The
 * dataset, version and title shown until the plan step runs are the caller's guess (the recipe's own, when known).
 */
export async function submitRecipeBuild(
  deps: SubmitRecipeBuildDeps,
  input: { request: RecipeBuildRequest; recipeName: string; dataset: string; version: string; title: string; ownerId: string | null },
): Promise<{ id: string }> {
  const request = recipeBuildRequestSchema.parse(input.request);
  const now = deps.now();
  const [row] = await deps.db
    .insert(recipeBuilds)
    .values({ recipe: input.recipeName, request, dataset: input.dataset, version: input.version, title: input.title, ownerId: input.ownerId, buildDir: 'builds/pending', stepQueuedAt: now, createdAt: now })
    .returning({ id: recipeBuilds.id });
  const id = row?.id as string;
  const buildDir = path.join('builds', id);
  try {
    await fs.promises.mkdir(path.join(deps.dataDir, buildDir), { recursive: true });
    await fs.promises.writeFile(path.join(deps.dataDir, buildDir, 'request.json'), `${JSON.stringify(request, null, 1)}\n`);
    await deps.db.update(recipeBuilds).set({ buildDir }).where(eq(recipeBuilds.id, id));
  } catch (error) {
    await deps.db.delete(recipeBuilds).where(eq(recipeBuilds.id, id));
    throw error;
  }
  await deps.queue.enqueueBuildStep({ buildId: id, step: 'plan' });
  return { id };
}
