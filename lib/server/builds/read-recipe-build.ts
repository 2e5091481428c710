import 'server-only';
import { eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { datasetVersions, recipeBuildParts, recipeBuilds } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import type { RecipeBuildDto } from '@/lib/shared/dto/recipe-build-dto';
import { toRecipeBuildDto } from './to-recipe-build-dto';

/**
 * A build and its progress, without any authorisation check: for the operator's command line
 * (`pipeline build --queue`) and for services that checked access themselves.
 */
export async function readRecipeBuild(db: Database, buildId: string, now: Date): Promise<RecipeBuildDto & { ownerId: string | null }> {
  const [build] = await db.select().from(recipeBuilds).where(eq(recipeBuilds.id, buildId)).limit(1);
  if (!build) throw new AppError('NOT_FOUND', `There is no dataset build ${buildId}.`);
  const parts = await db.select().from(recipeBuildParts).where(eq(recipeBuildParts.buildId, buildId));
  let version: RecipeBuildDto['datasetVersion'] = null;
  if (build.datasetVersionId) {
    const [row] = await db.select({ dataset: datasetVersions.dataset, version: datasetVersions.version }).from(datasetVersions).where(eq(datasetVersions.id, build.datasetVersionId));
    version = row ?? null;
  }
  return { ...toRecipeBuildDto(build, parts, now, version), ownerId: build.ownerId };
}
