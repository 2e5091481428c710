import 'server-only';
import { isAppError } from '@/lib/shared/app-error';
import { diffManifests } from '@/lib/shared/diff-manifests';
import type { DatasetDiffDto } from '@/lib/shared/dto/dataset-catalogue-dto';
import type { ServiceContext } from '../context';
import { getHistogramCache } from './get-histogram-cache';
import { getVisibleDatasetVersionOrThrow } from './get-visible-dataset-version-or-throw';

/** What changed between two visible versions of a dataset (rows, columns, recipe, sources, processes). */
export async function diffDatasetVersions(ctx: ServiceContext, input: { dataset: string; from: string; to: string }): Promise<DatasetDiffDto> {
  const from = await getVisibleDatasetVersionOrThrow(ctx, input.dataset, input.from);
  const to = await getVisibleDatasetVersionOrThrow(ctx, input.dataset, input.to);
  const summary = async (v: typeof from) => {
    try {
      return (await getHistogramCache(ctx.dataDir, v.row.storageDir, v.manifest)).summary;
    } catch (error) {
      if (isAppError(error)) return null;
      throw error;
    }
  };
  return diffManifests(from.manifest, to.manifest, { from: await summary(from), to: await summary(to) });
}
