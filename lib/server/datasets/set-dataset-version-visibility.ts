import 'server-only';
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { datasets, datasetVersions } from '@/db/schema';
import { AppError } from '@/lib/shared/app-error';
import { assertSignedIn } from '../assert-signed-in';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';

const inputSchema = z.object({ dataset: z.string().trim().min(1), version: z.string().trim().min(1), isPublic: z.boolean() });

/**
 * Publishes a dataset version in the catalogue or hides it again. Only the dataset's owner and admins may; anyone
 * else gets NOT_FOUND or FORBIDDEN. Recorded in the audit log. Truth files are never listed either way; a version
 * used by a published challenge stays visible while that challenge is (its files are downloadable there).
 */
export async function setDatasetVersionVisibility(ctx: ServiceContext, input: z.input<typeof inputSchema>): Promise<{ dataset: string; version: string; isPublic: boolean; changed: boolean }> {
  assertSignedIn(ctx);
  const parsed = inputSchema.parse(input);
  const [version] = await ctx.db
    .select({ id: datasetVersions.id, isPublic: datasetVersions.isPublic, ownerId: datasets.ownerId })
    .from(datasetVersions)
    .leftJoin(datasets, eq(datasets.id, datasetVersions.dataset))
    .where(and(eq(datasetVersions.dataset, parsed.dataset), eq(datasetVersions.version, parsed.version)))
    .limit(1);
  const mayManage = ctx.user.role === 'admin' || (version !== undefined && version.ownerId === ctx.user.id);
  // A hidden version answers as a missing one to those who may not see it.
  if (!version || (!mayManage && !version.isPublic)) throw new AppError('NOT_FOUND', `There is no version "${parsed.version}" of dataset "${parsed.dataset}".`, { found: `${parsed.dataset}@${parsed.version}` });
  if (!mayManage) {
    throw new AppError('FORBIDDEN', `Only the owner of dataset "${parsed.dataset}" or an admin can publish or hide its versions.`);
  }
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(datasetVersions).set({ isPublic: parsed.isPublic, visibilitySetAt: now }).where(eq(datasetVersions.id, version.id));
    await recordAuditEvent(tx, {
      actorId: ctx.user.id,
      action: parsed.isPublic ? 'dataset.publish-version' : 'dataset.hide-version',
      target: `dataset:${parsed.dataset}@${parsed.version}`,
      details: { changed: version.isPublic !== parsed.isPublic },
      at: now,
    });
  });
  return { dataset: parsed.dataset, version: parsed.version, isPublic: parsed.isPublic, changed: version.isPublic !== parsed.isPublic };
}
