export { readParquetRowGroups } from './read-parquet-row-groups';
export { readParquetTable } from './read-parquet-table';
export { writeParquetTable } from './write-parquet-table';
export { createParquetBatchWriter, type ParquetBatchWriter } from './parquet-batch-writer';
export { readParquetRowCount } from './read-parquet-row-count';
