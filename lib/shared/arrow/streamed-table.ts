/**
 * A table read a batch at a time (an Arrow record batch, a Parquet row group), so memory holds one batch however
 * large the file is. Shared by the Arrow IPC and Parquet readers; the file's bytes come from the caller (a Node
 * stream or file on the server), so these modules stay free of Node APIs.
 */

/** Random access to a file's bytes. `read` returns fewer than `length` bytes only at the end of the file. */
export type RandomAccessBytes = {
  byteLength: number;
  read(position: number, length: number): Promise<Uint8Array>;
};

/** Anything that reads at a position into a buffer, as Node's `FileHandle.read(buffer, offset, length, position)` does. */
export type PositionalReader = { read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }> };

/** {@link RandomAccessBytes} over a positional reader of `byteLength` bytes; short reads are continued until the end. */
export function randomAccessBytes(reader: PositionalReader, byteLength: number): RandomAccessBytes {
  return {
    byteLength,
    async read(position, length) {
      const start = Math.max(0, Math.min(position, byteLength));
      const bytes = new Uint8Array(Math.max(0, Math.min(length, byteLength - start)));
      let filled = 0;
      while (filled < bytes.length) {
        const { bytesRead } = await reader.read(bytes, filled, bytes.length - filled, start + filled);
        if (bytesRead === 0) break;
        filled += bytesRead;
      }
      return filled === bytes.length ? bytes : bytes.subarray(0, filled);
    },
  };
}

/**
 * How a column's values arrive in batches: numbers (every integer and float type, widened to Float64Array; 64-bit
 * integers beyond 2^53 round to unsafe integers), strings, or another type that is described but not decoded.
 */
export type StreamedColumnType = { kind: 'number' } | { kind: 'string' } | { kind: 'other'; description: string };

/** Rows `rowStart … rowStart + numRows − 1` (0-based) of every number and string column; "other" columns are left out. */
export type TableBatch = { rowStart: number; numRows: number; columns: Record<string, Float64Array | string[]> };

export type StreamedTable = {
  /** Column names in file order (a malformed file may repeat one). */
  columnNames: string[];
  columnTypes: Record<string, StreamedColumnType>;
  /** Iterate once. A null value, a truncated or corrupt batch throws an `AppError` naming file, row and column. */
  batches: AsyncIterable<TableBatch>;
};

/** Names the file in messages and says whose problem a bad file is (organiser's dataset or participant's submission). */
export type StreamedTableOptions = { file: string; errorCode: 'INVALID_DATASET' | 'INVALID_SUBMISSION' };
