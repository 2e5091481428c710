import 'server-only';
import { count, countDistinct, eq } from 'drizzle-orm';
import { z } from 'zod';
import { datasetVersions, downloadEvents } from '@/db/schema';
import type { DownloadCountDto } from '@/lib/shared/dto/download-count-dto';
import type { ServiceContext } from '../context';
import { getOrganisedChallengeOrThrow } from './get-organised-challenge-or-throw';

/**
 * Downloads of the challenge's dataset files: every served copy and the number of different accounts, per file.
 * Every public file of the current version is listed (zero when nobody took it yet); files of versions the
 * challenge used before a switch follow, marked.
 */
export async function getDownloadCounts(ctx: ServiceContext, slug: string): Promise<DownloadCountDto[]> {
  const parsedSlug = z.string().min(1).parse(slug);
  const { loaded } = await getOrganisedChallengeOrThrow(ctx, parsedSlug);
  const rows = await ctx.db
    .select({
      datasetVersionId: downloadEvents.datasetVersionId,
      dataset: datasetVersions.dataset,
      version: datasetVersions.version,
      fileName: downloadEvents.fileName,
      downloads: count(),
      distinctUsers: countDistinct(downloadEvents.userId),
    })
    .from(downloadEvents)
    .innerJoin(datasetVersions, eq(datasetVersions.id, downloadEvents.datasetVersionId))
    .where(eq(downloadEvents.challengeId, loaded.challenge.id))
    .groupBy(downloadEvents.datasetVersionId, datasetVersions.dataset, datasetVersions.version, downloadEvents.fileName);
  const currentId = loaded.datasetVersion.id;
  const current: DownloadCountDto[] = loaded.manifest.files
    .filter((f) => !f.serverOnly)
    .map((f) => {
      const row = rows.find((r) => r.datasetVersionId === currentId && r.fileName === f.name);
      return {
        dataset: loaded.manifest.dataset,
        version: loaded.manifest.version,
        fileName: f.name,
        downloads: row?.downloads ?? 0,
        distinctUsers: row?.distinctUsers ?? 0,
        isCurrentVersion: true,
      };
    });
  const listed = new Set(current.map((c) => c.fileName));
  const others: DownloadCountDto[] = rows
    .filter((r) => r.datasetVersionId !== currentId || !listed.has(r.fileName))
    .map((r) => ({ dataset: r.dataset, version: r.version, fileName: r.fileName, downloads: r.downloads, distinctUsers: r.distinctUsers, isCurrentVersion: r.datasetVersionId === currentId }))
    .sort((a, b) => `${a.version}/${a.fileName}`.localeCompare(`${b.version}/${b.fileName}`));
  return [...current, ...others];
}
