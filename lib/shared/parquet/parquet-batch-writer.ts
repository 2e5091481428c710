import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ArrowColumn } from '../arrow';
import { parquetColumnSources, PARQUET_WRITE_OPTIONS } from './write-parquet-table';

export type ParquetBatchWriter = {
  /** Encodes the columns as one row group and returns its bytes (the file magic comes before the first). */
  writeRowGroup(columns: Record<string, ArrowColumn>): Uint8Array;
  /** Column indexes, the footer with the key/value metadata and the closing magic; the file is complete after it. */
  finish(): Uint8Array;
};

/**
 * Writes a Parquet file one row group at a time (hyparquet-writer's incremental writer, SNAPPY), so memory holds one
 * row group. Row groups of the same rows as `writeParquetTable` chooses (100k by default) give the same bytes.
 */
export function createParquetBatchWriter(metadata: Record<string, string> = {}): ParquetBatchWriter {
  const sink = new ByteWriter();
  let writer: ParquetWriter | undefined;
  const drain = () => {
    const bytes = sink.getBytes().slice();
    sink.index = 0;
    return bytes;
  };
  const open = (columns: Record<string, ArrowColumn>) => {
    const columnData = parquetColumnSources(columns);
    writer ??= new ParquetWriter({
      writer: sink,
      schema: schemaFromColumnData({ columnData }),
      codec: PARQUET_WRITE_OPTIONS.codec,
      kvMetadata: Object.entries(metadata).map(([key, value]) => ({ key, value })),
      createdBy: PARQUET_WRITE_OPTIONS.createdBy,
    });
    return { writer, columnData };
  };
  let firstColumns: Record<string, ArrowColumn> | undefined;
  return {
    writeRowGroup(columns) {
      firstColumns ??= columns;
      const { writer: parquet, columnData } = open(columns);
      const rows = columnData[0]?.data.length ?? 0;
      if (rows > 0) void parquet.write({ columnData, rowGroupSize: rows, pageSize: PARQUET_WRITE_OPTIONS.pageSize });
      return drain();
    },
    finish() {
      // A table without rows still needs its schema: take it from the (empty) columns the caller passes first.
      const { writer: parquet } = open(firstColumns ?? {});
      void parquet.finish();
      return drain();
    },
  };
}
