import {
  AsyncByteQueue,
  Bool,
  type Data,
  type DataType,
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  List,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  Schema,
  Struct,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from 'apache-arrow';
import { AppError } from '../app-error';

export type { RecordBatch } from 'apache-arrow';

export type NestedNumberArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/**
 * A column of any nesting, as readers of columnar physics formats (RNTuple) produce it: numbers, booleans (one
 * 0/1 byte per value), UTF-8 strings (offsets into bytes), variable-length lists (offsets into a child column) and
 * fixed-size lists (`size` child values per row). Offsets have one more element than rows and start at 0.
 */
export type NestedArrowColumn =
  | { kind: 'number'; values: NestedNumberArray }
  | { kind: 'bool'; values: Uint8Array }
  | { kind: 'utf8'; offsets: Int32Array; bytes: Uint8Array }
  | { kind: 'list'; offsets: Int32Array; child: NestedArrowColumn }
  | { kind: 'fixed-size-list'; size: number; child: NestedArrowColumn };

export type NestedColumnEntry = { name: string; column: NestedArrowColumn; metadata?: Record<string, string> };

/** Rows of a nested column. */
export function nestedColumnRows(column: NestedArrowColumn): number {
  switch (column.kind) {
    case 'number':
    case 'bool':
      return column.values.length;
    case 'utf8':
    case 'list':
      return column.offsets.length - 1;
    case 'fixed-size-list':
      return nestedColumnRows(column.child) / column.size;
  }
}

function numberData(values: NestedNumberArray): Data {
  const length = values.length;
  if (values instanceof Float32Array) return makeData({ type: new Float32(), length, nullCount: 0, data: values });
  if (values instanceof Float64Array) return makeData({ type: new Float64(), length, nullCount: 0, data: values });
  if (values instanceof Int8Array) return makeData({ type: new Int8(), length, nullCount: 0, data: values });
  if (values instanceof Uint8Array) return makeData({ type: new Uint8(), length, nullCount: 0, data: values });
  if (values instanceof Int16Array) return makeData({ type: new Int16(), length, nullCount: 0, data: values });
  if (values instanceof Uint16Array) return makeData({ type: new Uint16(), length, nullCount: 0, data: values });
  if (values instanceof Int32Array) return makeData({ type: new Int32(), length, nullCount: 0, data: values });
  if (values instanceof Uint32Array) return makeData({ type: new Uint32(), length, nullCount: 0, data: values });
  if (values instanceof BigInt64Array) return makeData({ type: new Int64(), length, nullCount: 0, data: values });
  return makeData({ type: new Uint64(), length, nullCount: 0, data: values });
}

function nestedData(column: NestedArrowColumn, name: string): Data {
  switch (column.kind) {
    case 'number':
      return numberData(column.values);
    case 'bool': {
      const bits = new Uint8Array(Math.ceil(column.values.length / 8));
      for (let i = 0; i < column.values.length; i++) if (column.values[i]) bits[i >>> 3] = (bits[i >>> 3] as number) | (1 << (i & 7));
      return makeData({ type: new Bool(), length: column.values.length, nullCount: 0, data: bits });
    }
    case 'utf8':
      assertOffsets(column.offsets, column.bytes.length, name);
      return makeData({ type: new Utf8(), length: column.offsets.length - 1, nullCount: 0, valueOffsets: column.offsets, data: column.bytes });
    case 'list': {
      const child = nestedData(column.child, name);
      assertOffsets(column.offsets, child.length, name);
      const type = new List(new Field('item', child.type as DataType, false));
      return makeData({ type, length: column.offsets.length - 1, nullCount: 0, valueOffsets: column.offsets, child });
    }
    case 'fixed-size-list': {
      const child = nestedData(column.child, name);
      if (column.size <= 0 || child.length % column.size !== 0) {
        throw new AppError('INVALID_DATASET', `Fixed-size list column "${name}" has ${child.length} values, not a multiple of its size ${column.size}.`, { column: name });
      }
      const type = new FixedSizeList(column.size, new Field('item', child.type as DataType, false));
      return makeData({ type, length: child.length / column.size, nullCount: 0, child });
    }
  }
}

function assertOffsets(offsets: Int32Array, values: number, name: string): void {
  if (offsets.length === 0 || offsets[0] !== 0 || offsets[offsets.length - 1] !== values) {
    throw new AppError('INVALID_DATASET', `Column "${name}" has offsets from ${offsets[0]} to ${offsets[offsets.length - 1]} over ${values} values; they must run from 0 to the number of values.`, { column: name });
  }
}

/**
 * Builds record batches of nested columns that all share one schema (taken from the first batch, with the given
 * schema metadata and per-column metadata), as an Arrow IPC writer needs. Throws AppError('INVALID_DATASET') when
 * columns differ in length or a later batch's types differ from the first.
 */
export function createNestedBatchBuilder(metadata: Record<string, string> = {}) {
  let schema: Schema | null = null;
  return (entries: readonly NestedColumnEntry[]): RecordBatch => {
    const rows = entries.length === 0 ? 0 : nestedColumnRows((entries[0] as NestedColumnEntry).column);
    const children = entries.map((entry) => {
      const data = nestedData(entry.column, entry.name);
      if (data.length !== rows) {
        throw new AppError('INVALID_DATASET', `Column "${entry.name}" has ${data.length} rows but column "${entries[0]?.name}" has ${rows}; all columns of a batch must have the same length.`, { column: entry.name });
      }
      return data;
    });
    if (!schema) {
      schema = new Schema(
        entries.map((entry, i) => new Field(entry.name, (children[i] as Data).type as DataType, false, entry.metadata ? new Map(Object.entries(entry.metadata)) : null)),
        new Map(Object.entries(metadata)),
      );
    } else {
      const known = schema;
      children.forEach((data, i) => {
        const field = known.fields[i];
        if (!field || String(field.type) !== String(data.type)) {
          throw new AppError('INVALID_DATASET', `Column "${entries[i]?.name}" changes type between batches (${String(field?.type)} → ${String(data.type)}).`, { column: entries[i]?.name });
        }
      });
    }
    const struct = makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children });
    return new RecordBatch(schema, struct);
  };
}

/**
 * An Arrow IPC *file* encoder fed one record batch at a time: `write` returns the bytes produced so far (to append
 * to the output file), `finish` the rest (footer and magic). Memory holds one batch's bytes, not the file.
 */
export function createArrowFileEncoder() {
  const chunks: Uint8Array[] = [];
  // The writer streams into an AsyncByteQueue; this one hands each chunk over at once instead of queueing it.
  class ChunkCollector extends AsyncByteQueue {
    override write(value: Uint8Array): void {
      if (value.byteLength > 0) chunks.push(value);
    }
  }
  const writer = new RecordBatchFileWriter();
  writer.reset(new ChunkCollector() as never);
  const drain = () => chunks.splice(0, chunks.length);
  return {
    write(batch: RecordBatch): Uint8Array[] {
      writer.write(batch);
      return drain();
    },
    finish(): Uint8Array[] {
      writer.finish();
      return drain();
    },
  };
}
