import 'server-only';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetDto } from '@/lib/shared/dto/dataset-catalogue-dto';
import type { ServiceContext } from '../context';
import { listDatasets } from './list-datasets';

/** One dataset of the catalogue with its visible versions; NOT_FOUND listing the available datasets otherwise. */
export async function getDataset(ctx: ServiceContext, datasetId: string): Promise<DatasetDto> {
  const all = await listDatasets(ctx);
  const found = all.find((d) => d.id === datasetId);
  if (!found) throw new AppError('NOT_FOUND', `There is no dataset "${datasetId}"; available datasets: ${all.map((d) => d.id).join(', ') || 'none'}.`, { found: datasetId, available: all.map((d) => d.id) });
  return found;
}
