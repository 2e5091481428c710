export { readParquetTable } from './read-parquet-table';
export { writeParquetTable } from './write-parquet-table';
