import { parquetMetadataAsync } from 'hyparquet';
import { AppError } from '../app-error';
import type { RandomAccessBytes } from '../arrow';

/** Rows of a Parquet file, from its footer alone (no row group is read). */
export async function readParquetRowCount(source: RandomAccessBytes, file: string): Promise<number> {
  try {
    const metadata = await parquetMetadataAsync({
      byteLength: source.byteLength,
      async slice(start, end = source.byteLength) {
        return (await source.read(start, end - start)).slice().buffer as ArrayBuffer;
      },
    });
    return Number(metadata.num_rows);
  } catch (cause) {
    throw new AppError('INVALID_DATASET', `${file} is not a readable Parquet file: its footer cannot be decoded. Write it again (e.g. with pandas or pyarrow).`, { file, expected: 'a complete Parquet file', found: 'truncated or corrupt data' }, { cause });
  }
}
