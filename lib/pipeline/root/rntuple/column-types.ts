/**
 * RNTuple column types (binary format specification 1.0, "Column Description"): the on-disk code, its name, the
 * bits one element takes (a range for Real32Trunc and Real32Quant), and how a page of it is encoded.
 */
export type ColumnEncoding = 'plain' | 'split' | 'split-zigzag' | 'split-delta' | 'bits' | 'truncated' | 'quantized';

/** What a decoded element is, in memory. */
export type ColumnValueKind =
  | 'bit'
  | 'byte'
  | 'char'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'real16'
  | 'real32'
  | 'real64'
  | 'index'
  | 'switch';

export type ColumnTypeInfo = { code: number; name: string; bits: number; minBits?: number; maxBits?: number; value: ColumnValueKind; encoding: ColumnEncoding };

const TYPES: ColumnTypeInfo[] = [
  { code: 0x00, name: 'Bit', bits: 1, value: 'bit', encoding: 'bits' },
  { code: 0x01, name: 'Byte', bits: 8, value: 'byte', encoding: 'plain' },
  { code: 0x02, name: 'Char', bits: 8, value: 'char', encoding: 'plain' },
  { code: 0x03, name: 'Int8', bits: 8, value: 'int8', encoding: 'plain' },
  { code: 0x04, name: 'UInt8', bits: 8, value: 'uint8', encoding: 'plain' },
  { code: 0x05, name: 'Int16', bits: 16, value: 'int16', encoding: 'plain' },
  { code: 0x06, name: 'UInt16', bits: 16, value: 'uint16', encoding: 'plain' },
  { code: 0x07, name: 'Int32', bits: 32, value: 'int32', encoding: 'plain' },
  { code: 0x08, name: 'UInt32', bits: 32, value: 'uint32', encoding: 'plain' },
  { code: 0x09, name: 'Int64', bits: 64, value: 'int64', encoding: 'plain' },
  { code: 0x0a, name: 'UInt64', bits: 64, value: 'uint64', encoding: 'plain' },
  { code: 0x0b, name: 'Real16', bits: 16, value: 'real16', encoding: 'plain' },
  { code: 0x0c, name: 'Real32', bits: 32, value: 'real32', encoding: 'plain' },
  { code: 0x0d, name: 'Real64', bits: 64, value: 'real64', encoding: 'plain' },
  { code: 0x0e, name: 'Index32', bits: 32, value: 'index', encoding: 'plain' },
  { code: 0x0f, name: 'Index64', bits: 64, value: 'index', encoding: 'plain' },
  { code: 0x10, name: 'Switch', bits: 96, value: 'switch', encoding: 'plain' },
  { code: 0x11, name: 'SplitInt16', bits: 16, value: 'int16', encoding: 'split-zigzag' },
  { code: 0x12, name: 'SplitUInt16', bits: 16, value: 'uint16', encoding: 'split' },
  { code: 0x13, name: 'SplitInt32', bits: 32, value: 'int32', encoding: 'split-zigzag' },
  { code: 0x14, name: 'SplitUInt32', bits: 32, value: 'uint32', encoding: 'split' },
  { code: 0x15, name: 'SplitInt64', bits: 64, value: 'int64', encoding: 'split-zigzag' },
  { code: 0x16, name: 'SplitUInt64', bits: 64, value: 'uint64', encoding: 'split' },
  { code: 0x17, name: 'SplitReal16', bits: 16, value: 'real16', encoding: 'split' },
  { code: 0x18, name: 'SplitReal32', bits: 32, value: 'real32', encoding: 'split' },
  { code: 0x19, name: 'SplitReal64', bits: 64, value: 'real64', encoding: 'split' },
  { code: 0x1a, name: 'SplitIndex32', bits: 32, value: 'index', encoding: 'split-delta' },
  { code: 0x1b, name: 'SplitIndex64', bits: 64, value: 'index', encoding: 'split-delta' },
  { code: 0x1c, name: 'Real32Trunc', bits: 32, minBits: 10, maxBits: 31, value: 'real32', encoding: 'truncated' },
  { code: 0x1d, name: 'Real32Quant', bits: 32, minBits: 1, maxBits: 32, value: 'real32', encoding: 'quantized' },
];

const BY_CODE = new Map(TYPES.map((t) => [t.code, t]));

/** The column type of an on-disk code, or undefined for a type this reader does not know (a newer format). */
export function columnTypeOf(code: number): ColumnTypeInfo | undefined {
  return BY_CODE.get(code);
}

export function columnTypeName(code: number): string {
  return BY_CODE.get(code)?.name ?? `unknown type 0x${code.toString(16)}`;
}

/** Bytes a page of `elements` elements takes uncompressed. */
export function pageBytes(elements: number, bitsOnStorage: number): number {
  return Math.ceil((elements * bitsOnStorage) / 8);
}
