import 'server-only';
import { desc, eq, inArray } from 'drizzle-orm';
import { datasetVersions, recipeBuildParts, recipeBuilds } from '@/db/schema';
import type { RecipeBuildDto } from '@/lib/shared/dto/recipe-build-dto';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from '../organiser/assert-can-create-challenges';
import { toRecipeBuildDto } from './to-recipe-build-dto';

/** The organiser's queued builds, newest first (an admin sees every build). */
export async function listRecipeBuilds(ctx: ServiceContext, options: { limit?: number } = {}): Promise<RecipeBuildDto[]> {
  assertCanCreateChallenges(ctx);
  const query = ctx.db.select().from(recipeBuilds);
  const builds = await (ctx.user.role === 'admin' ? query : query.where(eq(recipeBuilds.ownerId, ctx.user.id))).orderBy(desc(recipeBuilds.createdAt)).limit(options.limit ?? 50);
  if (builds.length === 0) return [];
  const ids = builds.map((b) => b.id);
  const parts = await ctx.db.select().from(recipeBuildParts).where(inArray(recipeBuildParts.buildId, ids));
  const versionIds = builds.map((b) => b.datasetVersionId).filter((v): v is string => v !== null);
  const versions = versionIds.length > 0 ? await ctx.db.select({ id: datasetVersions.id, dataset: datasetVersions.dataset, version: datasetVersions.version }).from(datasetVersions).where(inArray(datasetVersions.id, versionIds)) : [];
  const now = ctx.now();
  return builds.map((b) => {
    const v = versions.find((x) => x.id === b.datasetVersionId);
    return toRecipeBuildDto(b, parts.filter((p) => p.buildId === b.id), now, v ? { dataset: v.dataset, version: v.version } : null);
  });
}
