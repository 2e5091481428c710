import 'server-only';
import { DISPLAY_FILE_NAME } from '@/lib/shared/display/display-objects';
import type { DatasetVersionSummaryDto } from '@/lib/shared/dto/dataset-catalogue-dto';
import { findDatasetDoi } from '@/lib/shared/format-citation';
import type { VisibleDatasetVersion } from './find-visible-dataset-versions';

/** The list entry of a dataset version (catalogue, dataset page), from the manifest only. */
export function toDatasetVersionSummary({ row, manifest, visibility }: VisibleDatasetVersion): DatasetVersionSummaryDto {
  const names = new Set(manifest.files.map((f) => f.name));
  return {
    dataset: manifest.dataset,
    version: manifest.version,
    title: manifest.title,
    description: manifest.description,
    isToy: manifest.isToy,
    licence: manifest.licence,
    doi: findDatasetDoi(manifest),
    createdAt: manifest.createdAt || row.createdAt.toISOString(),
    trainRows: manifest.files.find((f) => f.role === 'train' && f.format === 'arrow')?.rows ?? 0,
    featureCount: manifest.featureColumns.length,
    variations: (manifest.variations ?? []).map((v) => v.name).filter((name) => names.has(`test@${name}.arrow`)),
    hasDisplay: names.has(DISPLAY_FILE_NAME),
    visibility,
  };
}
