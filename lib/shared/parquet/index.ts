export { readParquetRowGroups } from './read-parquet-row-groups';
export { readParquetTable } from './read-parquet-table';
export { writeParquetTable } from './write-parquet-table';
