import 'server-only';
import { and, asc, eq, inArray, isNotNull } from 'drizzle-orm';
import { challenges, datasetGrants, datasets, datasetVersions, type DatasetVersion } from '@/db/schema';
import { datasetManifestSchema, type DatasetManifest } from '@/lib/shared/dataset-manifest';
import type { DatasetVisibilityDto } from '@/lib/shared/dto/dataset-catalogue-dto';
import type { ServiceContext } from '../context';

export type VisibleDatasetVersion = { row: DatasetVersion; manifest: DatasetManifest; visibility: DatasetVisibilityDto };

/**
 * The dataset versions the viewer may see in the catalogue (all of them, or those of one dataset), ordered by dataset
 * and version: versions published by their owner, versions used by a published challenge, and, for the dataset's
 * owner, its grantees and admins, the private ones too. Not a DTO: the catalogue services build theirs from it.
 */
export async function findVisibleDatasetVersions(ctx: ServiceContext, datasetId?: string): Promise<VisibleDatasetVersion[]> {
  const rows = await ctx.db
    .select()
    .from(datasetVersions)
    .where(datasetId === undefined ? undefined : eq(datasetVersions.dataset, datasetId))
    .orderBy(asc(datasetVersions.dataset), asc(datasetVersions.createdAt));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const used = await ctx.db
    .selectDistinct({ id: challenges.datasetVersionId })
    .from(challenges)
    .where(and(inArray(challenges.datasetVersionId, ids), isNotNull(challenges.publishedAt)));
  const usedIds = new Set(used.map((u) => u.id));
  const datasetIds = [...new Set(rows.map((r) => r.dataset))];
  const user = ctx.user;
  const owned = new Set<string>();
  const granted = new Set<string>();
  if (user) {
    const owners = await ctx.db.select({ id: datasets.id, ownerId: datasets.ownerId }).from(datasets).where(inArray(datasets.id, datasetIds));
    for (const o of owners) if (o.ownerId === user.id) owned.add(o.id);
    const grants = await ctx.db
      .select({ id: datasetGrants.datasetId })
      .from(datasetGrants)
      .where(and(inArray(datasetGrants.datasetId, datasetIds), eq(datasetGrants.userId, user.id)));
    for (const g of grants) granted.add(g.id);
  }
  const isAdmin = user?.role === 'admin';
  const out: VisibleDatasetVersion[] = [];
  for (const row of rows) {
    const canManage = isAdmin || owned.has(row.dataset);
    const isUsed = usedIds.has(row.id);
    if (!(row.isPublic || isUsed || canManage || granted.has(row.dataset))) continue;
    out.push({ row, manifest: datasetManifestSchema.parse(row.manifest), visibility: { isPublic: row.isPublic, isUsedByPublishedChallenge: isUsed, canManage } });
  }
  return out;
}
