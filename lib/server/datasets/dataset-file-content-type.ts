import type { DatasetFile } from '@/lib/shared/dataset-manifest';

/** The Content-Type a dataset file is served with, by its manifest format. */
export const datasetFileContentType: Readonly<Record<DatasetFile['format'], string>> = {
  arrow: 'application/vnd.apache.arrow.file',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  root: 'application/x-root',
};
