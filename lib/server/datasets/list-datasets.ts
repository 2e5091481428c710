import 'server-only';
import type { DatasetDto } from '@/lib/shared/dto/dataset-catalogue-dto';
import type { ServiceContext } from '../context';
import { findVisibleDatasetVersions } from './find-visible-dataset-versions';
import { toDatasetVersionSummary } from './to-dataset-version-summary';

/** The dataset catalogue: every dataset with at least one version the viewer may see, its versions newest first. */
export async function listDatasets(ctx: ServiceContext): Promise<DatasetDto[]> {
  const visible = await findVisibleDatasetVersions(ctx);
  const byDataset = new Map<string, DatasetDto>();
  for (const v of visible) {
    const summary = toDatasetVersionSummary(v);
    const entry = byDataset.get(summary.dataset) ?? { id: summary.dataset, title: summary.title, isToy: summary.isToy, versions: [] };
    entry.versions.unshift(summary);
    // The newest version names the dataset.
    entry.title = entry.versions[0]?.title ?? entry.title;
    entry.isToy = entry.versions.every((s) => s.isToy);
    byDataset.set(summary.dataset, entry);
  }
  return [...byDataset.values()];
}
