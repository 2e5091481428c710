/**
 * A column as the rest of the code base sees it: a contiguous typed array for numbers, a plain array for
 * strings. No nulls: missing values are explicit sentinels (−25, −999) chosen by the dataset.
 */
export type ArrowColumn = Float64Array | Float32Array | Int32Array | Int8Array | Uint8Array | string[];

/** A decoded Arrow IPC table: column order, columns and the schema-level key/value metadata. */
export type DecodedArrowTable = {
  numRows: number;
  columnNames: string[];
  columns: Record<string, ArrowColumn>;
  metadata: Record<string, string>;
};

/** Numeric arrays beyond {@link ArrowColumn} that ROOT branches produce (16-bit, unsigned 32-bit, 64-bit). */
export type WideNumericArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | BigInt64Array
  | BigUint64Array;

/**
 * A variable-length list per row (Arrow `List<T>`), e.g. the jets of each event: row i holds
 * `values[offsets[i] … offsets[i+1])`; `offsets` has one more element than there are rows and starts at 0.
 */
export type ArrowListColumn = { kind: 'list'; values: WideNumericArray; offsets: Int32Array };

/** Every column `encodeArrowTable` writes and `decodeArrowColumns` returns. */
export type AnyArrowColumn = ArrowColumn | WideNumericArray | ArrowListColumn;

/** Number of rows of any column. */
export function columnRowCount(column: AnyArrowColumn): number {
  return isArrowListColumn(column) ? column.offsets.length - 1 : column.length;
}

export function isArrowListColumn(column: AnyArrowColumn): column is ArrowListColumn {
  return !Array.isArray(column) && !ArrayBuffer.isView(column) && (column as ArrowListColumn).kind === 'list';
}

/** A decoded table whose columns may be lists or wide integers (see {@link AnyArrowColumn}). */
export type DecodedArrowColumns = {
  numRows: number;
  columnNames: string[];
  columns: Record<string, AnyArrowColumn>;
  metadata: Record<string, string>;
  /** Field-level metadata by column name (empty objects for fields without any). */
  fieldMetadata: Record<string, Record<string, string>>;
};
