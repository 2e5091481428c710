import 'server-only';
import { asc } from 'drizzle-orm';
import { datasetVersions } from '@/db/schema';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import type { DatasetVersionDto } from '@/lib/shared/dto/dataset-version-dto';
import type { ServiceContext } from '../context';
import { assertCanCreateChallenges } from '../organiser/assert-can-create-challenges';
import { canAttachDataset } from './can-attach-dataset';

/**
 * The registered dataset versions this organiser may attach (their own datasets, those granted to them; every one for
 * an admin), for the create and attach forms. Organisers and admins only.
 */
export async function listDatasetVersions(ctx: ServiceContext): Promise<DatasetVersionDto[]> {
  assertCanCreateChallenges(ctx);
  const rows = await ctx.db.select().from(datasetVersions).orderBy(asc(datasetVersions.dataset), asc(datasetVersions.version));
  const datasetIds = [...new Set(rows.map((r) => r.dataset))];
  const user = ctx.user;
  const allowed = new Set((await Promise.all(datasetIds.map(async (id) => ((await canAttachDataset(ctx.db, user, id)) ? [id] : [])))).flat());
  return rows.filter((row) => allowed.has(row.dataset)).map((row) => {
    const manifest = datasetManifestSchema.parse(row.manifest);
    const names = new Set(manifest.files.map((f) => f.name));
    const tasks: DatasetVersionDto['tasks'] = [];
    if (names.has('truth.arrow')) tasks.push('binary-classification');
    if (names.has('truth_pe.arrow')) tasks.push('interval-estimation');
    return {
      dataset: row.dataset,
      version: row.version,
      title: row.title,
      isToy: row.isToy,
      tasks,
      variations: (manifest.variations ?? []).map((v) => v.name).filter((name) => names.has(`truth@${name}.arrow`)),
      files: manifest.files.map((f) => ({ name: f.name, role: f.role, format: f.format, sizeBytes: f.sizeBytes, rows: f.rows, serverOnly: f.serverOnly })),
      registeredAt: row.createdAt.toISOString(),
    };
  });
}
