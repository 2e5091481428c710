import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { datasetVersions } from '@/db/schema';

/**
 * Server start: lists a built-in challenge's toy dataset version in the public catalogue, unless its owner or an
 * admin has chosen its visibility already (then their choice stands). Returns whether it changed.
 */
export async function publishBuiltinDatasetVersion(db: Database, dataset: { id: string; version: string }): Promise<boolean> {
  const changed = await db
    .update(datasetVersions)
    .set({ isPublic: true })
    .where(and(eq(datasetVersions.dataset, dataset.id), eq(datasetVersions.version, dataset.version), isNull(datasetVersions.visibilitySetAt), eq(datasetVersions.isPublic, false)))
    .returning({ id: datasetVersions.id });
  return changed.length > 0;
}
