import {
  Data,
  DataType,
  Dictionary,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  List,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from 'apache-arrow';
import { AppError } from '../app-error';
import { type AnyArrowColumn, type ArrowColumn, columnRowCount, isArrowListColumn, type WideNumericArray } from './arrow-column';

export type EncodeArrowTableOptions = {
  /**
   * How string columns are stored. "auto" (default) dictionary-encodes a column with at most 256 distinct
   * values and fewer distinct values than half its rows (labels, process names), and writes others as Utf8.
   */
  stringEncoding?: 'auto' | 'utf8' | 'dictionary';
  /** Key/value metadata per column (e.g. the ROOT type a column came from), stored on the Arrow field. */
  fieldMetadata?: Record<string, Record<string, string>>;
  /** "file" (default, `ARROW1` magic and footer) or "stream" (what `pyarrow.ipc.new_stream` writes). */
  ipcFormat?: 'file' | 'stream';
  /** Rows per record batch; default: all rows in one batch. */
  batchRows?: number;
};

const utf8Encoder = new TextEncoder();

/**
 * Encodes columns as one record batch in the Arrow IPC *file* format (what pyarrow `read_feather`/`read_ipc`,
 * polars `read_ipc` and apache-arrow `tableFromIPC` open; `batchRows` and `ipcFormat` change both). Column order
 * is the key order of `columns`; `metadata` becomes the schema's custom metadata. The output is deterministic: equal inputs give equal bytes
 * (dictionary ids are the column positions, not a process-wide counter).
 *
 * Throws `AppError('INVALID_DATASET')` when columns differ in length or a column name is empty.
 */
export function encodeArrowTable(
  columns: Record<string, AnyArrowColumn>,
  metadata: Record<string, string> = {},
  options: EncodeArrowTableOptions = {},
): Uint8Array {
  const names = Object.keys(columns);
  const numRows = names.length === 0 ? 0 : columnRowCount(columns[names[0] as string] as AnyArrowColumn);
  const fields: Field[] = [];
  const children: Data[] = [];
  names.forEach((name, index) => {
    const column = columns[name] as AnyArrowColumn;
    if (name.length === 0) {
      throw new AppError('INVALID_DATASET', `Column ${index} has an empty name; every Arrow column needs a name.`, {
        column: name,
      });
    }
    if (columnRowCount(column) !== numRows) {
      throw new AppError(
        'INVALID_DATASET',
        `Column "${name}" has ${columnRowCount(column)} rows but column "${names[0]}" has ${numRows}; all columns of a table must have the same length.`,
        { column: name, expected: String(numRows), found: String(columnRowCount(column)) },
      );
    }
    const data = makeColumnData(column, index, options.stringEncoding ?? 'auto', name);
    const fieldMetadata = options.fieldMetadata?.[name];
    fields.push(new Field(name, data.type as DataType, false, fieldMetadata ? new Map(Object.entries(fieldMetadata)) : null));
    children.push(data);
  });
  const schema = new Schema(fields, new Map(Object.entries(metadata)));
  const struct = makeData({ type: new Struct(fields), length: numRows, nullCount: 0, children });
  const batch = new RecordBatch(schema, struct);
  const batchRows = Math.max(1, options.batchRows ?? numRows);
  const batches = numRows <= batchRows ? [batch] : Array.from({ length: Math.ceil(numRows / batchRows) }, (_, k) => batch.slice(k * batchRows, (k + 1) * batchRows));
  return tableToIPC(new Table(schema, batches), options.ipcFormat ?? 'file');
}

function makeNumericData(column: WideNumericArray): Data | null {
  if (column instanceof Uint32Array) return makeData({ type: new Uint32(), length: column.length, nullCount: 0, data: column });
  if (column instanceof Int16Array) return makeData({ type: new Int16(), length: column.length, nullCount: 0, data: column });
  if (column instanceof Uint16Array) return makeData({ type: new Uint16(), length: column.length, nullCount: 0, data: column });
  if (column instanceof BigInt64Array) return makeData({ type: new Int64(), length: column.length, nullCount: 0, data: column });
  if (column instanceof BigUint64Array) return makeData({ type: new Uint64(), length: column.length, nullCount: 0, data: column });
  return null;
}

function makeListData(values: WideNumericArray, offsets: Int32Array, name: string): Data {
  const child = makeColumnData(values, 0, 'utf8', name);
  if (offsets.length === 0 || offsets[0] !== 0 || offsets[offsets.length - 1] !== values.length) {
    throw new AppError('INVALID_DATASET', `List column "${name}" has offsets from ${offsets[0]} to ${offsets[offsets.length - 1]} over ${values.length} values; they must run from 0 to the number of values.`, {
      column: name,
    });
  }
  const type = new List(new Field('item', child.type as DataType, false));
  return makeData({ type, length: offsets.length - 1, nullCount: 0, valueOffsets: offsets, child });
}

function makeColumnData(column: AnyArrowColumn, index: number, stringEncoding: 'auto' | 'utf8' | 'dictionary', name: string): Data {
  if (isArrowListColumn(column)) return makeListData(column.values, column.offsets, name);
  if (!Array.isArray(column)) {
    const wide = makeNumericData(column as WideNumericArray);
    if (wide) return wide;
  }
  return makeBasicColumnData(column as ArrowColumn, index, stringEncoding);
}

export function makeBasicColumnData(column: ArrowColumn, index: number, stringEncoding: 'auto' | 'utf8' | 'dictionary'): Data {
  if (column instanceof Float64Array) return makeData({ type: new Float64(), length: column.length, nullCount: 0, data: column });
  if (column instanceof Float32Array) return makeData({ type: new Float32(), length: column.length, nullCount: 0, data: column });
  if (column instanceof Int32Array) return makeData({ type: new Int32(), length: column.length, nullCount: 0, data: column });
  if (column instanceof Int8Array) return makeData({ type: new Int8(), length: column.length, nullCount: 0, data: column });
  if (column instanceof Uint8Array) return makeData({ type: new Uint8(), length: column.length, nullCount: 0, data: column });
  return makeStringData(column, index, stringEncoding);
}

function makeStringData(values: string[], index: number, stringEncoding: 'auto' | 'utf8' | 'dictionary'): Data {
  if (stringEncoding !== 'utf8') {
    const codes = new Int32Array(values.length);
    const dictionary: string[] = [];
    const codeByValue = new Map<string, number>();
    let isDictionaryWorthwhile = true;
    for (let i = 0; i < values.length; i++) {
      const value = values[i] as string;
      let code = codeByValue.get(value);
      if (code === undefined) {
        code = dictionary.length;
        codeByValue.set(value, code);
        dictionary.push(value);
        if (stringEncoding === 'auto' && dictionary.length > 256) {
          isDictionaryWorthwhile = false;
          break;
        }
      }
      codes[i] = code;
    }
    if (stringEncoding === 'auto' && dictionary.length * 2 > values.length && values.length > 0) isDictionaryWorthwhile = false;
    if (isDictionaryWorthwhile) {
      const type = new Dictionary(new Utf8(), new Int32(), index, false);
      const dictionaryData = makeUtf8Data(dictionary);
      return makeData({
        type,
        length: values.length,
        nullCount: 0,
        data: codes,
        dictionary: makeVector(dictionaryData),
      });
    }
  }
  return makeUtf8Data(values);
}

export function makeUtf8Data(values: string[]): Data<Utf8> {
  const encoded = values.map((value) => utf8Encoder.encode(value));
  const valueOffsets = new Int32Array(values.length + 1);
  let totalBytes = 0;
  encoded.forEach((bytes, i) => {
    totalBytes += bytes.length;
    valueOffsets[i + 1] = totalBytes;
  });
  const data = new Uint8Array(totalBytes);
  encoded.forEach((bytes, i) => data.set(bytes, valueOffsets[i] as number));
  return makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets, data });
}
