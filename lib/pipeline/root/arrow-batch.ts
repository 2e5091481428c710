import {
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
  Schema,
  Struct,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from 'apache-arrow';
import { type DecodedData, decodedLength } from './decoded-data';
import type { NumberElement, ValueType } from './value-type';

function numberType(element: NumberElement): DataType {
  switch (element) {
    case 'int8':
      return new Int8();
    case 'uint8':
      return new Uint8();
    case 'int16':
      return new Int16();
    case 'uint16':
      return new Uint16();
    case 'int32':
      return new Int32();
    case 'uint32':
      return new Uint32();
    case 'int64':
      return new Int64();
    case 'uint64':
      return new Uint64();
    case 'float32':
      return new Float32();
    case 'float64':
      return new Float64();
  }
}

/** The Arrow type of a column: numbers, Bool, Utf8, List<T> and FixedSizeList<T>. */
export function arrowTypeOf(type: ValueType): DataType {
  switch (type.kind) {
    case 'number':
      return numberType(type.element);
    case 'bool':
      return new Bool();
    case 'string':
      return new Utf8();
    case 'list':
      return new List(new Field('item', arrowTypeOf(type.item), false));
    case 'fixed-list':
      return new FixedSizeList(type.size, new Field('item', arrowTypeOf(type.item), false));
    case 'struct':
      return new Struct(type.fields.map((f) => new Field(f.name, arrowTypeOf(f.type), false)));
  }
}

function packBits(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 8));
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) out[i >> 3] = (out[i >> 3] as number) | (1 << (i & 7));
  return out;
}

/** Arrow data over the decoded buffers (no copies except Bool, which Arrow packs into bits). */
export function arrowDataOf(type: DataType, data: DecodedData): Data {
  const length = decodedLength(data);
  switch (data.kind) {
    case 'number':
      return makeData({ type, length, nullCount: 0, data: data.values } as Parameters<typeof makeData>[0]);
    case 'bool':
      return makeData({ type: type as Bool, length, nullCount: 0, data: packBits(data.values) });
    case 'string':
      return makeData({ type: type as Utf8, length, nullCount: 0, valueOffsets: data.offsets, data: data.bytes });
    case 'list': {
      const listType = type as List;
      return makeData({ type: listType, length, nullCount: 0, valueOffsets: data.offsets, child: arrowDataOf(listType.children[0]?.type as DataType, data.item) });
    }
    case 'fixed-list': {
      const fixedType = type as FixedSizeList;
      return makeData({ type: fixedType, length, nullCount: 0, child: arrowDataOf(fixedType.children[0]?.type as DataType, data.item) });
    }
    case 'struct': {
      const structType = type as Struct;
      return makeData({ type: structType, length, nullCount: 0, children: data.fields.map((f, i) => arrowDataOf(structType.children[i]?.type as DataType, f)) });
    }
  }
}

/** A record batch of `columns` (in schema order) from each column's decoded data. */
export function makeRecordBatch(schema: Schema, columns: readonly DecodedData[], numRows: number): RecordBatch {
  const children = columns.map((data, i) => arrowDataOf(schema.fields[i]?.type as DataType, data));
  const struct = makeData({ type: new Struct(schema.fields), length: numRows, nullCount: 0, children });
  return new RecordBatch(schema, struct);
}
