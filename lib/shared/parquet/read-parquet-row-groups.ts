import { type AsyncBuffer, type ColumnData, type FileMetaData, parquetMetadataAsync, parquetRead, parquetSchema, type SchemaTree } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { AppError, isAppError } from '../app-error';
import type { RandomAccessBytes, StreamedColumnType, StreamedTable, StreamedTableOptions, TableBatch } from '../arrow';

const integerAnnotations = new Set(['INTEGER', 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64']);

/**
 * Reads a Parquet file row group by row group with random access (any codec hyparquet-compressors knows): memory
 * holds the footer and one row group, never the file. Top-level columns of INT32, INT64, FLOAT, DOUBLE (plain or
 * with an integer annotation) and FLOAT16 are numbers; BYTE_ARRAY without annotation or with STRING / ENUM are
 * strings; every other column (booleans, dates, timestamps, decimals, nested) is "other" and not decoded.
 *
 * @throws {AppError} `options.errorCode` when the file is truncated or corrupt, or a value is null, naming file,
 *   row (1-based) and column.
 */
export async function readParquetRowGroups(source: RandomAccessBytes, options: StreamedTableOptions): Promise<StreamedTable> {
  const file: AsyncBuffer = {
    byteLength: source.byteLength,
    async slice(start, end = source.byteLength) {
      const bytes = await source.read(start, end - start);
      return (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer) as ArrayBuffer;
    },
  };
  let metadata: FileMetaData;
  let columns: SchemaTree[];
  try {
    metadata = await parquetMetadataAsync(file);
    columns = parquetSchema(metadata).children;
  } catch (error) {
    throw unreadable(options, error);
  }
  const columnTypes: Record<string, StreamedColumnType> = {};
  for (const column of columns) columnTypes[column.element.name] = classify(column);
  const decoded = columns.map((column) => column.element.name).filter((name) => columnTypes[name]?.kind !== 'other');
  const rowGroups = metadata.row_groups;

  async function* batches(): AsyncGenerator<TableBatch> {
    let rowStart = 0;
    for (const group of rowGroups) {
      const numRows = Number(group.num_rows);
      const rowEnd = rowStart + numRows;
      const chunks: ColumnData[] = [];
      if (decoded.length > 0 && numRows > 0) {
        try {
          await parquetRead({ file, metadata, rowStart, rowEnd, columns: decoded, compressors, onChunk: (chunk) => chunks.push(chunk) });
        } catch (error) {
          throw unreadable(options, error);
        }
      }
      const batch: TableBatch = { rowStart, numRows, columns: {} };
      for (const name of decoded) {
        const kind = (columnTypes[name] as StreamedColumnType).kind as 'number' | 'string';
        batch.columns[name] = assembleColumn(chunks.filter((chunk) => chunk.columnName === name), name, kind, rowStart, numRows, options);
      }
      yield batch;
      rowStart = rowEnd;
    }
  }
  return { columnNames: columns.map((column) => column.element.name), columnTypes, batches: batches() };
}

function classify(column: SchemaTree): StreamedColumnType {
  const { element } = column;
  if (column.children.length > 0 || element.repetition_type === 'REPEATED') return { kind: 'other', description: 'a nested column' };
  const annotation = element.logical_type?.type ?? element.converted_type;
  const type = element.type ?? 'unknown';
  const isNumeric =
    ((type === 'INT32' || type === 'INT64') && (annotation === undefined || integerAnnotations.has(annotation))) ||
    ((type === 'FLOAT' || type === 'DOUBLE') && annotation === undefined) ||
    (type === 'FIXED_LEN_BYTE_ARRAY' && annotation === 'FLOAT16');
  if (isNumeric) return { kind: 'number' };
  if (type === 'BYTE_ARRAY' && (annotation === undefined || annotation === 'STRING' || annotation === 'UTF8' || annotation === 'ENUM')) return { kind: 'string' };
  return { kind: 'other', description: annotation === undefined ? type : `${type} (${annotation})` };
}

function assembleColumn(
  chunks: ColumnData[],
  column: string,
  kind: 'number' | 'string',
  rowStart: number,
  numRows: number,
  options: StreamedTableOptions,
): Float64Array | string[] {
  const out = kind === 'number' ? new Float64Array(numRows) : new Array<string>(numRows);
  let filled = 0;
  for (const chunk of chunks) {
    const data = chunk.columnData;
    // A chunk may reach outside the requested rows; keep only this row group's part.
    const from = Math.max(rowStart, chunk.rowStart);
    const to = Math.min(rowStart + numRows, chunk.rowStart + data.length);
    for (let row = from; row < to; row++) {
      const value: unknown = data[row - chunk.rowStart];
      if (value === null || value === undefined) throw nullValue(options, row + 1, column);
      if (kind === 'number') (out as Float64Array)[row - rowStart] = typeof value === 'bigint' ? Number(value) : (value as number);
      else (out as string[])[row - rowStart] = value as string;
    }
    filled += Math.max(0, to - from);
  }
  // Fewer values than the row group claims: the file is damaged even though every page decoded.
  if (filled !== numRows) throw unreadable(options);
  return out;
}

function nullValue(options: StreamedTableOptions, row: number, column: string): AppError {
  return new AppError(options.errorCode, `${options.file} row ${row}, column "${column}": expected a value, found null (missing values are not allowed).`, {
    file: options.file,
    row,
    column,
    expected: 'a value',
    found: 'null',
  });
}

function unreadable(options: StreamedTableOptions, cause?: unknown): AppError {
  if (isAppError(cause)) return cause;
  const { file } = options;
  return new AppError(
    options.errorCode,
    `${file} is not a readable Parquet file: it is truncated or corrupt. Write it again (e.g. with pandas or pyarrow) and upload the complete file.`,
    { file, expected: 'a complete Parquet file', found: 'truncated or corrupt data' },
    { cause },
  );
}
