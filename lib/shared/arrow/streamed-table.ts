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
