import type { ColumnTypeInfo, ColumnValueKind } from './column-types';

/** Decoded elements of one column: a typed array per value kind; switch columns decode to two arrays. */
export type DecodedElements =
  | Uint8Array
  | Int8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array
  | { index: Int32Array; tag: Int32Array };

export type PageColumn = { type: ColumnTypeInfo; bitsOnStorage: number; valueRange: [number, number] | null };

/** Thrown for data that decodes to impossible values; the caller adds where (file, column, cluster, page). */
export class PageDecodeError extends Error {}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type Ctor = { new (length: number): Exclude<DecodedElements, { index: Int32Array }> };
const OUTPUT: Record<Exclude<ColumnValueKind, 'switch'>, Ctor> = {
  bit: Uint8Array,
  byte: Uint8Array,
  char: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  real16: Float32Array,
  real32: Float32Array,
  real64: Float64Array,
  index: Int32Array,
};

/**
 * The array `count` decoded elements of a column go into: index columns as Int32Array of cluster-relative end
 * offsets, Real16 and Real32Trunc as Float32Array, Real32Quant as Float64Array (ROOT computes it in double),
 * Bit as 0/1 bytes, switches as index and tag arrays.
 */
export function allocateElements(column: PageColumn, count: number): DecodedElements {
  if (column.type.value === 'switch') return { index: new Int32Array(count), tag: new Int32Array(count) };
  if (column.type.encoding === 'quantized') return new Float64Array(count);
  return new OUTPUT[column.type.value](count);
}

/** Reads `count` values of `bits` bits (1…32), packed least significant bit first. */
function unpackBits(bytes: Uint8Array, count: number, bits: number): Float64Array {
  const out = new Float64Array(count);
  const modulus = 2 ** bits;
  for (let i = 0; i < count; i++) {
    const bit = i * bits;
    let byte = bit >>> 3;
    const shift = bit & 7;
    let acc = 0;
    let scale = 1;
    for (let got = 0; got < shift + bits; got += 8, byte++, scale *= 256) acc += (bytes[byte] ?? 0) * scale;
    out[i] = Math.floor(acc / 2 ** shift) % modulus;
  }
  return out;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function indexOverflow(value: number): never {
  throw new PageDecodeError(`an index of ${value} exceeds 2^31 − 1 elements in one cluster`);
}

/** The bytes of a typed array's elements `at … at + count`, to write little-endian element bytes into. */
function bytesOf(out: ArrayBufferView, at: number, count: number, size: number): Uint8Array {
  return new Uint8Array(out.buffer, out.byteOffset + at * size, count * size);
}

/**
 * Decodes one uncompressed page of `count` elements into `out` (from {@link allocateElements}) at element `at`
 * (specification "Column Description": split, zigzag + split, delta + split, bit-packed Bit, Real32Trunc,
 * Real32Quant, Real16, Switch); split pages are unsplit straight into `out`. Index columns come out as
 * cluster-relative end offsets. Throws PageDecodeError when the bytes cannot hold `count` elements.
 */
export function decodePageInto(bytes: Uint8Array, count: number, column: PageColumn, out: DecodedElements, at: number): void {
  if (!IS_LITTLE_ENDIAN) throw new PageDecodeError('this reader runs on little-endian machines only');
  const { type, bitsOnStorage } = column;
  const expected = Math.ceil((count * bitsOnStorage) / 8);
  if (bytes.length !== expected) throw new PageDecodeError(`the page has ${bytes.length} bytes, ${count} elements of ${bitsOnStorage} bits need ${expected}`);
  const size = bitsOnStorage / 8;
  if (!ArrayBuffer.isView(out)) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) {
      const lo = view.getUint32(12 * i, true);
      if (view.getUint32(12 * i + 4, true) !== 0 || lo > 0x7fffffff) indexOverflow(view.getUint32(12 * i + 4, true) * 2 ** 32 + lo);
      out.index[at + i] = lo;
      out.tag[at + i] = view.getInt32(12 * i + 8, true);
    }
    return;
  }
  switch (type.encoding) {
    case 'bits': {
      const target = out as Uint8Array;
      for (let i = 0; i < count; i++) target[at + i] = ((bytes[i >>> 3] as number) >>> (i & 7)) & 1;
      return;
    }
    case 'truncated': {
      const packed = unpackBits(bytes, count, bitsOnStorage);
      const words = new Uint32Array(out.buffer, out.byteOffset + 4 * at, count);
      const scale = 2 ** (32 - bitsOnStorage);
      for (let i = 0; i < count; i++) words[i] = (packed[i] as number) * scale;
      return;
    }
    case 'quantized': {
      const [min, max] = column.valueRange ?? [Number.NaN, Number.NaN];
      if (!Number.isFinite(min) || !Number.isFinite(max)) throw new PageDecodeError('a Real32Quant column has no value range');
      const packed = unpackBits(bytes, count, bitsOnStorage);
      const scale = (max - min) / (2 ** bitsOnStorage - 1);
      const target = out as Float64Array;
      for (let i = 0; i < count; i++) target[at + i] = Math.min((packed[i] as number) * scale + min, max);
      return;
    }
  }
  if (type.value === 'index') {
    decodeIndex(bytes, count, size, type.encoding === 'split-delta', out as Int32Array, at);
    return;
  }
  if (type.value === 'real16') {
    const halves = new Uint16Array(count);
    if (type.encoding === 'plain') new Uint8Array(halves.buffer).set(bytes);
    else unsplitInto(bytes, count, 2, new Uint8Array(halves.buffer));
    const target = out as Float32Array;
    for (let i = 0; i < count; i++) target[at + i] = halfToFloat(halves[i] as number);
    return;
  }
  const outSize = (out as Exclude<DecodedElements, { index: Int32Array }>).BYTES_PER_ELEMENT;
  if (outSize !== size) throw new PageDecodeError(`column type ${type.name} has ${bitsOnStorage} bits per element, not ${8 * outSize}`);
  const target = bytesOf(out, at, count, size);
  if (type.encoding === 'plain') target.set(bytes);
  else unsplitInto(bytes, count, size, target);
  if (type.encoding === 'split-zigzag') unzigzag(out, at, count, size);
}

/** Reverses split encoding into `target`: byte b of element i is stored at b·count + i. */
function unsplitInto(bytes: Uint8Array, count: number, size: number, target: Uint8Array): void {
  if (size === 4 && target.byteOffset % 4 === 0) {
    const words = new Uint32Array(target.buffer, target.byteOffset, count);
    const b1 = count;
    const b2 = 2 * count;
    const b3 = 3 * count;
    for (let i = 0; i < count; i++) words[i] = (bytes[i] as number) | ((bytes[b1 + i] as number) << 8) | ((bytes[b2 + i] as number) << 16) | ((bytes[b3 + i] as number) << 24);
    return;
  }
  if (size === 8 && target.byteOffset % 4 === 0) {
    const words = new Uint32Array(target.buffer, target.byteOffset, 2 * count);
    for (let i = 0; i < count; i++) {
      words[2 * i] = (bytes[i] as number) | ((bytes[count + i] as number) << 8) | ((bytes[2 * count + i] as number) << 16) | ((bytes[3 * count + i] as number) << 24);
      words[2 * i + 1] = (bytes[4 * count + i] as number) | ((bytes[5 * count + i] as number) << 8) | ((bytes[6 * count + i] as number) << 16) | ((bytes[7 * count + i] as number) << 24);
    }
    return;
  }
  for (let b = 0; b < size; b++) {
    const from = b * count;
    for (let i = 0, o = b; i < count; i++, o += size) target[o] = bytes[from + i] as number;
  }
}

function unzigzag(out: ArrayBufferView, at: number, count: number, size: number): void {
  if (size === 2) {
    const values = out as Int16Array;
    for (let i = at; i < at + count; i++) {
      const x = (values[i] as number) & 0xffff;
      values[i] = (x >>> 1) ^ -(x & 1);
    }
  } else if (size === 4) {
    const values = out as Int32Array;
    for (let i = at; i < at + count; i++) {
      const x = values[i] as number;
      values[i] = (x >>> 1) ^ -(x & 1);
    }
  } else {
    const words = new Uint32Array(out.buffer, out.byteOffset + 8 * at, 2 * count);
    for (let i = 0; i < count; i++) {
      const lo = words[2 * i] as number;
      const hi = words[2 * i + 1] as number;
      const negative = lo & 1 ? 0xffffffff : 0;
      words[2 * i] = (((lo >>> 1) | (hi << 31)) ^ negative) >>> 0;
      words[2 * i + 1] = ((hi >>> 1) ^ negative) >>> 0;
    }
  }
}

/** Index columns: 32- or 64-bit, plain (cluster-relative ends) or split + delta within the page. */
function decodeIndex(bytes: Uint8Array, count: number, size: number, isDelta: boolean, out: Int32Array, at: number): void {
  let sum = 0;
  if (isDelta) {
    const p1 = count;
    const p2 = 2 * count;
    const p3 = 3 * count;
    for (let i = 0; i < count; i++) {
      const lo = ((bytes[i] as number) | ((bytes[p1 + i] as number) << 8) | ((bytes[p2 + i] as number) << 16) | ((bytes[p3 + i] as number) << 24)) >>> 0;
      if (size === 8 && ((bytes[4 * count + i] as number) | (bytes[5 * count + i] as number) | (bytes[6 * count + i] as number) | (bytes[7 * count + i] as number)) !== 0) {
        indexOverflow(2 ** 32 + lo);
      }
      sum += lo;
      if (sum > 0x7fffffff) indexOverflow(sum);
      out[at + i] = sum;
    }
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) {
    const lo = view.getUint32(size * i, true);
    if ((size === 8 && view.getUint32(size * i + 4, true) !== 0) || lo > 0x7fffffff) indexOverflow(lo);
    out[at + i] = lo;
  }
}
