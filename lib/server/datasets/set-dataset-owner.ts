import 'server-only';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { datasets } from '@/db/schema';

/**
 * Makes `ownerId` the owner of a dataset (null: the platform's operator). With `onlyIfUnowned`, an owned dataset
 * keeps its owner (server start gives the built-in datasets to the demo organiser that way). Returns whether it
 * changed. The dataset row is created if a version was registered before datasets had owners.
 */
export async function setDatasetOwner(db: Database, datasetId: string, ownerId: string | null, options: { onlyIfUnowned?: boolean } = {}): Promise<boolean> {
  await db.insert(datasets).values({ id: datasetId, ownerId: null }).onConflictDoNothing({ target: datasets.id });
  const where = options.onlyIfUnowned ? and(eq(datasets.id, datasetId), isNull(datasets.ownerId)) : eq(datasets.id, datasetId);
  const changed = await db.update(datasets).set({ ownerId }).where(where).returning({ id: datasets.id });
  return changed.length > 0;
}
