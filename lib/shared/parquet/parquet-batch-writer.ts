import { ByteWriter, ParquetWriter, schemaFromColumnData } from 'hyparquet-writer';
import type { ArrowColumn } from '../arrow';
import { dictionaryPays } from './dictionary-pays';
import { parquetColumnSources, PARQUET_WRITE_OPTIONS } from './write-parquet-table';

export type ParquetBatchWriter = {
  /** Encodes the columns as one row group and returns its bytes (the file magic comes before the first). */
  writeRowGroup(columns: Record<string, ArrowColumn>): Uint8Array;
  /** Column indexes, the footer with the key/value metadata and the closing magic; the file is complete after it. */
  finish(): Uint8Array;
};

/**
 * The column sources of one row group, numeric columns whose dictionary hyparquet-writer would build and then give up
 * marked PLAIN beforehand: the same bytes, without the dictionary (see {@link dictionaryPays}).
 */
export function plainWhereDictionaryLoses(columnData: ReturnType<typeof parquetColumnSources>): ReturnType<typeof parquetColumnSources> {
  return columnData.map((source) => {
    const data = source.data;
    if (source.encoding !== undefined) return source;
    if (data instanceof Float32Array || data instanceof Int32Array) return dictionaryPays(data, 4) ? source : { ...source, encoding: 'PLAIN' };
    if (data instanceof Float64Array) return dictionaryPays(data, 8) ? source : { ...source, encoding: 'PLAIN' };
    return source;
  });
}

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
      if (rows > 0) void parquet.write({ columnData: plainWhereDictionaryLoses(columnData), rowGroupSize: rows, pageSize: PARQUET_WRITE_OPTIONS.pageSize });
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
