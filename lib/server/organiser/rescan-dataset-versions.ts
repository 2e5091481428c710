import 'server-only';
import { datasetVersions } from '@/db/schema';
import { recordAuditEvent } from '../audit/record-audit-event';
import type { ServiceContext } from '../context';
import { registerLocalDatasetVersions } from '../datasets/register-local-dataset-versions';
import { assertCanCreateChallenges } from './assert-can-create-challenges';

/**
 * Registers the dataset versions found under DATA_DIR/datasets (e.g. just built with `npm run pipeline`) without a
 * server restart. Each version's files are checked against its manifest's sha256; a broken one stops the scan
 * with the file named. A dataset seen for the first time belongs to the organiser who rescanned (an admin's rescan
 * leaves it to the platform). Organisers and admins only.
 */
export async function rescanDatasetVersions(ctx: ServiceContext): Promise<{ found: string[]; added: string[] }> {
  assertCanCreateChallenges(ctx);
  const key = (v: { dataset: string; version: string }) => `${v.dataset}@${v.version}`;
  const before = new Set((await ctx.db.select({ dataset: datasetVersions.dataset, version: datasetVersions.version }).from(datasetVersions)).map(key));
  // Hashing the files takes a while for large versions, so it happens outside the transaction.
  const found = await registerLocalDatasetVersions(ctx.db, ctx.dataDir, { ownerId: ctx.user.role === 'organiser' ? ctx.user.id : null });
  const after = (await ctx.db.select({ dataset: datasetVersions.dataset, version: datasetVersions.version }).from(datasetVersions)).map(key);
  const added = after.filter((k) => !before.has(k)).sort();
  const user = ctx.user;
  await ctx.db.transaction(async (tx) => {
    await recordAuditEvent(tx, { actorId: user.id, action: 'datasets.rescan', target: 'datasets', details: { found, added }, at: ctx.now() });
  });
  return { found, added };
}
