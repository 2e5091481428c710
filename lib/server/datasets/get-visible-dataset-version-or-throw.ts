import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import type { ServiceContext } from '../context';
import { findVisibleDatasetVersions, type VisibleDatasetVersion } from './find-visible-dataset-versions';

/**
 * One dataset version the viewer may see, or NOT_FOUND naming what exists for them: the datasets when the dataset is
 * unknown (or hidden), else the dataset's versions. Hidden versions answer exactly as missing ones.
 */
export async function getVisibleDatasetVersionOrThrow(ctx: ServiceContext, datasetId: string, version: string): Promise<VisibleDatasetVersion & { siblings: VisibleDatasetVersion[] }> {
  const siblings = await findVisibleDatasetVersions(ctx, datasetId);
  if (siblings.length === 0) {
    const all = [...new Set((await findVisibleDatasetVersions(ctx)).map((v) => v.row.dataset))];
    throw new AppError('NOT_FOUND', `There is no dataset "${datasetId}"; available datasets: ${all.join(', ') || 'none'}.`, { found: datasetId, available: all });
  }
  const found = siblings.find((v) => v.row.version === version);
  if (!found) {
    const versions = siblings.map((v) => v.row.version);
    throw new AppError('NOT_FOUND', `Dataset "${datasetId}" has no version "${version}"; available versions: ${versions.join(', ')}.`, { found: version, available: versions });
  }
  return { ...found, siblings };
}
