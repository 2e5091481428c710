/** Element types of numbers as they come out of a basket (host order after decoding). */
export type NumberElement = 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'float32' | 'float64';

/**
 * The type of a decoded value. Columns are these types without `struct`: a struct is flattened into one column
 * per field (`branch.field`), a list or fixed-size list of structs into lists of each field sharing the offsets.
 */
export type ValueType =
  | { kind: 'number'; element: NumberElement }
  | { kind: 'bool' }
  | { kind: 'string' }
  | { kind: 'list'; item: ValueType }
  | { kind: 'fixed-list'; size: number; item: ValueType }
  | { kind: 'struct'; fields: { name: string; type: ValueType }[] };

export const ELEMENT_BYTES: Readonly<Record<NumberElement, number>> = {
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8,
  float32: 4,
  float64: 8,
};

export type NumberArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

/** The typed array that holds each element type. */
export const NUMBER_ARRAYS = {
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float32: Float32Array,
  float64: Float64Array,
} as const satisfies Record<NumberElement, { new (length: number): NumberArray }>;

/** A typed array of `element` over `bytes` (which must be aligned and a multiple of the element size). */
export function numberArrayOf(element: NumberElement, buffer: ArrayBuffer, byteOffset: number, length: number): NumberArray {
  switch (element) {
    case 'int8':
      return new Int8Array(buffer, byteOffset, length);
    case 'uint8':
      return new Uint8Array(buffer, byteOffset, length);
    case 'int16':
      return new Int16Array(buffer, byteOffset, length);
    case 'uint16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'uint32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'int64':
      return new BigInt64Array(buffer, byteOffset, length);
    case 'uint64':
      return new BigUint64Array(buffer, byteOffset, length);
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    case 'float64':
      return new Float64Array(buffer, byteOffset, length);
  }
}

/** C++ spelling of a value type, for listings (`vector<vector<float>>` → "list<list<float32>>"). */
export function describeValueType(type: ValueType): string {
  switch (type.kind) {
    case 'number':
      return type.element;
    case 'bool':
      return 'bool';
    case 'string':
      return 'string';
    case 'list':
      return `list<${describeValueType(type.item)}>`;
    case 'fixed-list':
      return `${describeValueType(type.item)}[${type.size}]`;
    case 'struct':
      return `{${type.fields.map((f) => `${f.name}: ${describeValueType(f.type)}`).join(', ')}}`;
  }
}

/** One column of a flattened value: its name suffix (`''` for the value itself, `.fP.fX` for a field) and type. */
export type FlatColumn = { suffix: string[]; type: ValueType; path: number[] };

/**
 * The columns a value type becomes: itself when it holds no struct, else one column per struct field (recursively),
 * with lists and fixed-size lists of structs distributed over the fields. `path` lists the struct field indices
 * taken on the way, so the decoded data can be split the same way ({@link flattenDecoded}).
 */
export function flattenValueType(type: ValueType): FlatColumn[] {
  switch (type.kind) {
    case 'struct':
      return type.fields.flatMap((field, index) => flattenValueType(field.type).map((c) => ({ suffix: [field.name, ...c.suffix], type: c.type, path: [index, ...c.path] })));
    case 'list':
      return flattenValueType(type.item).map((c) => ({ ...c, type: { kind: 'list', item: c.type } }));
    case 'fixed-list':
      return flattenValueType(type.item).map((c) => ({ ...c, type: { kind: 'fixed-list', size: type.size, item: c.type } }));
    default:
      return [{ suffix: [], type, path: [] }];
  }
}
