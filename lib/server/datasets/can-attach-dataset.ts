import 'server-only';
import { and, eq } from 'drizzle-orm';
import type { Database } from '@/db/client';
import { datasetGrants, datasets } from '@/db/schema';
import type { SessionUser } from '../context';

/**
 * Whether a user may attach versions of a dataset to a challenge (which exposes its hidden truth to that challenge's
 * scoring): admins, the dataset's owner, and users the owner or an admin granted it to. A dataset with no owner
 * belongs to the platform's operator, so only admins and their grantees may.
 */
export async function canAttachDataset(db: Database, user: SessionUser | null, datasetId: string): Promise<boolean> {
  if (!user) return false;
  if (user.role === 'admin') return true;
  if (user.role !== 'organiser') return false;
  const [dataset] = await db.select({ ownerId: datasets.ownerId }).from(datasets).where(eq(datasets.id, datasetId)).limit(1);
  if (dataset?.ownerId === user.id) return true;
  const [grant] = await db
    .select({ userId: datasetGrants.userId })
    .from(datasetGrants)
    .where(and(eq(datasetGrants.datasetId, datasetId), eq(datasetGrants.userId, user.id)))
    .limit(1);
  return grant !== undefined;
}
