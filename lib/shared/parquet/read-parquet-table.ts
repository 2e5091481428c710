import { parquetMetadata, parquetRead, type ColumnData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { AppError } from '../app-error';
import type { ArrowColumn, DecodedArrowTable } from '../arrow';

/**
 * Reads a Parquet file (any codec hyparquet and hyparquet-compressors know: snappy, gzip, zstd, lz4, brotli) into
 * contiguous columns, the same shape `decodeArrowTable` returns. The one module that imports hyparquet for reading.
 * Integer columns wider than 32 bits become Float64Array (exact up to 2^53); strings become string[].
 */
export async function readParquetTable(bytes: Uint8Array, options: { fileName?: string; columns?: string[] } = {}): Promise<DecodedArrowTable> {
  const fileName = options.fileName ?? 'parquet file';
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let metadata;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    throw new AppError('BAD_REQUEST', `${fileName} is not a readable Parquet file (${error instanceof Error ? error.message : 'unknown error'}).`, { file: fileName }, { cause: error });
  }
  const numRows = Number(metadata.num_rows);
  // Top-level leaf columns only: nested groups are not tabular predictions or features.
  const topLevel = metadata.schema.slice(1).filter((element) => element.num_children === undefined);
  const physicalType = new Map(topLevel.map((e) => [e.name, e.type]));
  const columnNames = options.columns ?? topLevel.map((e) => e.name);
  const chunks = new Map<string, ColumnData[]>();
  try {
    await parquetRead({
      file: buffer,
      metadata,
      columns: columnNames,
      compressors,
      onChunk(chunk) {
        const list = chunks.get(chunk.columnName) ?? [];
        list.push(chunk);
        chunks.set(chunk.columnName, list);
      },
    });
  } catch (error) {
    throw new AppError('BAD_REQUEST', `${fileName} could not be decoded as Parquet (${error instanceof Error ? error.message : 'unknown error'}).`, { file: fileName }, { cause: error });
  }
  const columns: Record<string, ArrowColumn> = {};
  for (const name of columnNames) {
    const parts = (chunks.get(name) ?? []).sort((a, b) => a.rowStart - b.rowStart);
    if (parts.length === 0) {
      throw new AppError('BAD_REQUEST', `${fileName} has no column "${name}" (found ${topLevel.map((e) => e.name).join(', ')}).`, { file: fileName, column: name });
    }
    columns[name] = assembleColumn(parts, numRows, physicalType.get(name), fileName);
  }
  const keyValues = Object.fromEntries((metadata.key_value_metadata ?? []).map((kv) => [kv.key, kv.value ?? '']));
  return { numRows, columnNames, columns, metadata: keyValues };
}

function assembleColumn(parts: ColumnData[], numRows: number, type: string | undefined, fileName: string): ArrowColumn {
  if (type === 'BYTE_ARRAY' || type === 'FIXED_LEN_BYTE_ARRAY') {
    const out: string[] = new Array<string>(numRows);
    for (const part of parts) for (let i = 0; i < part.columnData.length; i++) out[part.rowStart + i] = String(part.columnData[i] ?? '');
    return out;
  }
  const out = type === 'FLOAT' ? new Float32Array(numRows) : type === 'INT32' ? new Int32Array(numRows) : type === 'BOOLEAN' ? new Uint8Array(numRows) : new Float64Array(numRows);
  for (const part of parts) {
    const data = part.columnData;
    for (let i = 0; i < data.length; i++) {
      const value = data[i];
      const n = typeof value === 'bigint' ? Number(value) : typeof value === 'boolean' ? Number(value) : value;
      if (typeof n !== 'number') {
        throw new AppError('BAD_REQUEST', `${fileName} row ${part.rowStart + i + 1}: expected a number, found ${JSON.stringify(value)}.`, { file: fileName, row: part.rowStart + i + 1 });
      }
      out[part.rowStart + i] = n;
    }
  }
  return out;
}
