export { readParquetTable } from './read-parquet-table';
