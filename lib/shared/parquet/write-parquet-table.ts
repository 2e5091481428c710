import { parquetWriteBuffer } from 'hyparquet-writer';
import { AppError } from '../app-error';
import type { ArrowColumn } from '../arrow';

/**
 * Writes columns as a Parquet file (hyparquet-writer, SNAPPY, one row group per 100k rows or `options.rowGroupSize`) — the one module family that
 * imports hyparquet-writer. Float32 → FLOAT, Float64 → DOUBLE, Int32 / Int8 / Uint8 → INT32, strings → STRING
 * (UTF-8). `metadata` becomes the file's key/value metadata, so an exported file keeps its provenance.
 * pandas / polars / pyarrow `read_parquet` and hyparquet read the result.
 */
type ColumnSource = Parameters<typeof parquetWriteBuffer>[0]['columnData'][number];

/** Codec, page size and writer name shared by the one-shot and the row-group-at-a-time writers (same bytes). */
export const PARQUET_WRITE_OPTIONS = { codec: 'SNAPPY', pageSize: 1_048_576, createdBy: 'hep-arena pipeline (hyparquet-writer)' } as const;

export function writeParquetTable(columns: Record<string, ArrowColumn>, metadata: Record<string, string> = {}, options: { rowGroupSize?: number } = {}): Uint8Array {
  const buffer = parquetWriteBuffer({
    columnData: parquetColumnSources(columns),
    codec: PARQUET_WRITE_OPTIONS.codec,
    rowGroupSize: options.rowGroupSize ?? 100_000,
    kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
    createdBy: PARQUET_WRITE_OPTIONS.createdBy,
  });
  return new Uint8Array(buffer);
}

/** The hyparquet-writer column sources of a table; throws `AppError('INVALID_DATASET')` when lengths differ. */
export function parquetColumnSources(columns: Record<string, ArrowColumn>): ColumnSource[] {
  const names = Object.keys(columns);
  const rows = names.length === 0 ? 0 : (columns[names[0] as string] as ArrowColumn).length;
  return names.map((name) => {
    const column = columns[name] as ArrowColumn;
    if (column.length !== rows) {
      throw new AppError('INVALID_DATASET', `Column "${name}" has ${column.length} rows but column "${names[0]}" has ${rows}; all columns of a table must have the same length.`, { column: name });
    }
    if (column instanceof Float32Array) return { name, data: column, type: 'FLOAT', nullable: false };
    if (column instanceof Float64Array) return { name, data: column, type: 'DOUBLE', nullable: false };
    if (Array.isArray(column)) return { name, data: column, type: 'STRING', nullable: false };
    return { name, data: column instanceof Int32Array ? column : Int32Array.from(column), type: 'INT32', nullable: false };
  });
}
