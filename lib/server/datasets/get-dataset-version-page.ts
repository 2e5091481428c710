import 'server-only';
import { and, count, eq, inArray, isNull, isNotNull, or } from 'drizzle-orm';
import { challenges, downloadEvents } from '@/db/schema';
import { isAppError } from '@/lib/shared/app-error';
import type { DatasetVersionPageDto } from '@/lib/shared/dto/dataset-catalogue-dto';
import { formatCitation } from '@/lib/shared/format-citation';
import type { ServiceContext } from '../context';
import { getHistogramCache } from './get-histogram-cache';
import { getVisibleDatasetVersionOrThrow } from './get-visible-dataset-version-or-throw';
import { toDatasetVersionSummary } from './to-dataset-version-summary';

/**
 * Everything the page of one dataset version shows, from its manifest (never a server-only file): citation, sources,
 * per-process training rows and expected yields (Σ weights, from the histogram cache), public files with their
 * download counts (catalogue and challenge downloads together), columns, variations and the challenges using it.
 */
export async function getDatasetVersionPage(ctx: ServiceContext, input: { dataset: string; version: string }): Promise<DatasetVersionPageDto> {
  const visible = await getVisibleDatasetVersionOrThrow(ctx, input.dataset, input.version);
  const { row, manifest, siblings } = visible;
  const publicFiles = manifest.files.filter((f) => !f.serverOnly && !f.role.startsWith('truth'));
  const downloads = await ctx.db
    .select({ fileName: downloadEvents.fileName, downloads: count() })
    .from(downloadEvents)
    .where(and(eq(downloadEvents.datasetVersionId, row.id), inArray(downloadEvents.fileName, publicFiles.map((f) => f.name))))
    .groupBy(downloadEvents.fileName);
  const user = ctx.user;
  const challengeRows = await ctx.db
    .select({ slug: challenges.slug, title: challenges.title, publishedAt: challenges.publishedAt, createdBy: challenges.createdBy })
    .from(challenges)
    .where(
      and(
        eq(challenges.datasetVersionId, row.id),
        user?.role === 'admin' ? undefined : user ? or(isNotNull(challenges.publishedAt), and(isNull(challenges.publishedAt), eq(challenges.createdBy, user.id))) : isNotNull(challenges.publishedAt),
      ),
    )
    .orderBy(challenges.slug);
  let training: DatasetVersionPageDto['training'] = null;
  try {
    training = (await getHistogramCache(ctx.dataDir, row.storageDir, manifest)).summary;
  } catch (error) {
    if (!isAppError(error)) throw error;
  }
  const features = new Set(manifest.featureColumns);
  const names = new Set(manifest.files.map((f) => f.name));
  return {
    ...toDatasetVersionSummary(visible),
    citation: formatCitation(manifest),
    sources: manifest.sources.map((s) => ({ name: s.name, sha256: s.sha256 ?? null, doi: s.doi ?? null, note: s.note ?? null })),
    luminosityFb: manifest.luminosityFb,
    missingValue: manifest.missingValue,
    training,
    expectedYields: manifest.expectedYields,
    files: publicFiles.map((f) => ({ name: f.name, role: f.role, format: f.format, sizeBytes: f.sizeBytes, rows: f.rows, sha256: f.sha256, downloads: downloads.find((d) => d.fileName === f.name)?.downloads ?? 0 })),
    columns: manifest.columns.map((c) => ({ ...c, isFeature: features.has(c.name) })),
    featureColumns: manifest.featureColumns,
    variationDetails: (manifest.variations ?? []).map((v) => ({ name: v.name, kind: v.kind, description: v.description, hasPublicTable: names.has(`test@${v.name}.arrow`) })),
    recipe: manifest.recipe,
    pipelineVersion: manifest.pipelineVersion,
    challenges: challengeRows.map((c) => ({ slug: c.slug, title: c.title, isDraft: c.publishedAt === null })),
    otherVersions: siblings.map((s) => s.row.version).filter((v) => v !== manifest.version),
  };
}
