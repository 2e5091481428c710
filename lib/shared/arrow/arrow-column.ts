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
