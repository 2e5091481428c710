import { NUMBER_ARRAYS, type NumberArray } from '../value-type';
import type { ColumnTypeInfo, ColumnValueKind } from './column-types';
import { transposeFourPlanes } from './simd-transpose';

/** Pages this small are transposed in JavaScript (starting WebAssembly costs more than it saves). */
const SIMD_MIN_ELEMENTS = 256;

/** Decoded elements of one column: a typed array per value kind; switch columns decode to two arrays. */
export type DecodedElements = NumberArray | { index: Int32Array; tag: Int32Array };

type NumberArrayConstructor = { new (length: number): NumberArray };


export type PageColumn = { type: ColumnTypeInfo; bitsOnStorage: number; valueRange: [number, number] | null };

/** Thrown for data that decodes to impossible values; the caller adds where (file, column, cluster, page). */
export class PageDecodeError extends Error {}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const { float32, float64, ...INTEGER_ARRAYS } = NUMBER_ARRAYS;
const OUTPUT: Record<Exclude<ColumnValueKind, 'switch'>, NumberArrayConstructor> = { ...INTEGER_ARRAYS, bit: Uint8Array, byte: Uint8Array, char: Uint8Array, real16: float32, real32: float32, real64: float64, index: Int32Array };

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

/**
 * Like {@link allocateElements} but not zero-filled (Node's unpooled uninitialised memory): for arrays every
 * element of which the caller writes, which saves clearing hundreds of megabytes per file.
 */
export function allocateUninitialisedElements(column: PageColumn, count: number): DecodedElements {
  if (column.type.value === 'switch' || column.type.encoding === 'quantized') return allocateElements(column, count);
  const Output = OUTPUT[column.type.value];
  const bytes = count * (Output as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  if (bytes < 4096) return new Output(count);
  const buffer = Buffer.allocUnsafeSlow(bytes);
  return new (Output as unknown as new (buffer: ArrayBufferLike, offset: number, length: number) => DecodedElements)(buffer.buffer, buffer.byteOffset, count);
}

const IN_PLACE_KINDS = new Set<ColumnValueKind>(['int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'real32', 'real64']);

/**
 * Whether a page of this column can be decoded in its own buffer: elements of their own size, or index columns
 * (whose 32-bit offsets take at most the room of the stored elements plus one).
 */
export function canDecodeInPlace(column: PageColumn): boolean {
  const { type } = column;
  if (type.value === 'index') return type.bits === 64;
  return IN_PLACE_KINDS.has(type.value) && (type.encoding === 'plain' || type.encoding === 'split' || type.encoding === 'split-zigzag') && column.bitsOnStorage === type.bits;
}

let scratch = new Uint8Array(0);

/**
 * Decodes a page in the buffer it was inflated into (which the caller owns) and returns the elements as a view of
 * it: split pages are transposed through a reused scratch buffer and copied back. Saves allocating and clearing a
 * second array per page, which on a large file is as much memory as the data.
 */
export function decodePageInPlace(bytes: Uint8Array, count: number, column: PageColumn): DecodedElements {
  const { type, bitsOnStorage } = column;
  const size = bitsOnStorage / 8;
  if (bytes.length !== count * size) throw new PageDecodeError(`the page has ${bytes.length} bytes, ${count} elements of ${bitsOnStorage} bits need ${count * size}`);
  if (type.value === 'index') {
    // The Arrow offsets (a leading 0, then the ends) go to the start of the page's own buffer, via the scratch.
    if (scratch.length < 4 * (count + 1)) scratch = new Uint8Array(Math.max(4 * (count + 1), 2 * scratch.length));
    const offsets = new Int32Array(scratch.buffer, 0, count + 1);
    offsets[0] = 0;
    decodeIndex(bytes, count, size, type.encoding === 'split-delta', offsets, 1);
    const view = new Int32Array(bytes.buffer, bytes.byteOffset, count + 1);
    view.set(offsets);
    return view;
  }
  const out = new OUTPUT[type.value as Exclude<ColumnValueKind, 'switch'>](0);
  const view = new (out.constructor as new (buffer: ArrayBufferLike, offset: number, length: number) => NumberArray)(bytes.buffer, bytes.byteOffset, count);
  if (type.encoding !== 'plain' && size === 4 && transposeFourPlanes && count >= SIMD_MIN_ELEMENTS) {
    transposeFourPlanes(bytes, count, bytes);
    if (type.encoding === 'split-zigzag') unzigzag(view, 0, count, size);
  } else if (type.encoding !== 'plain') {
    if (scratch.length < bytes.length) scratch = new Uint8Array(Math.max(bytes.length, 2 * scratch.length));
    const target = scratch.subarray(0, bytes.length);
    unsplitInto(bytes, count, size, target);
    bytes.set(target);
    if (type.encoding === 'split-zigzag') unzigzag(view, 0, count, size);
  }
  return view;
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
  const outSize = (out as NumberArray).BYTES_PER_ELEMENT;
  if (outSize !== size) throw new PageDecodeError(`column type ${type.name} has ${bitsOnStorage} bits per element, not ${8 * outSize}`);
  const target = bytesOf(out, at, count, size);
  if (type.encoding === 'plain') target.set(bytes);
  else unsplitInto(bytes, count, size, target);
  if (type.encoding === 'split-zigzag') unzigzag(out, at, count, size);
}

/**
 * Reverses split encoding into `target`: byte b of element i is stored at b·count + i. Four-byte elements are
 * transposed four at a time from 32-bit words of the four byte planes when the planes are word-aligned.
 */
function unsplitInto(bytes: Uint8Array, count: number, size: number, target: Uint8Array): void {
  if (size === 4 && transposeFourPlanes && count >= SIMD_MIN_ELEMENTS) {
    transposeFourPlanes(bytes, count, target);
    return;
  }
  if (size === 4 && target.byteOffset % 4 === 0) {
    const words = new Uint32Array(target.buffer, target.byteOffset, count);
    let done = 0;
    if (count % 4 === 0 && bytes.byteOffset % 4 === 0) {
      const groups = count / 4;
      const planes = new Uint32Array(bytes.buffer, bytes.byteOffset, count);
      for (let g = 0, o = 0; g < groups; g++, o += 4) {
        const a = planes[g] as number;
        const b = planes[groups + g] as number;
        const c = planes[2 * groups + g] as number;
        const d = planes[3 * groups + g] as number;
        words[o] = (a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | (d << 24);
        words[o + 1] = ((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) | ((d >>> 8) << 24);
        words[o + 2] = ((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) | ((d >>> 16) << 24);
        words[o + 3] = (a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) | (d & 0xff000000);
      }
      done = count;
    }
    const b1 = count;
    const b2 = 2 * count;
    const b3 = 3 * count;
    for (let i = done; i < count; i++) words[i] = (bytes[i] as number) | ((bytes[b1 + i] as number) << 8) | ((bytes[b2 + i] as number) << 16) | ((bytes[b3 + i] as number) << 24);
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

/**
 * Index columns: 32- or 64-bit, plain (cluster-relative ends) or split + delta within the page. Split pages are
 * read four elements at a time from word-aligned byte planes; the upper planes of 64-bit indices must be zero. Ends
 * must not decrease, also across the page boundary (`out[at − 1]` holds the previous page's last end).
 */
function decodeIndex(bytes: Uint8Array, count: number, size: number, isDelta: boolean, out: Int32Array, at: number): void {
  const previous = at > 0 ? (out[at - 1] as number) : 0;
  if (!isDelta) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let last = previous;
    for (let i = 0; i < count; i++) {
      const lo = view.getUint32(size * i, true);
      if ((size === 8 && view.getUint32(size * i + 4, true) !== 0) || lo > 0x7fffffff) indexOverflow(lo);
      if (lo < last) throw new PageDecodeError(`collection offsets decrease at element ${i} of the page (${last} then ${lo})`);
      out[at + i] = last = lo;
    }
    return;
  }
  let high = 0;
  let sum = 0;
  let done = 0;
  if (count % 4 === 0 && bytes.byteOffset % 4 === 0) {
    const groups = count / 4;
    const planes = new Uint32Array(bytes.buffer, bytes.byteOffset, (count * size) / 4);
    for (let g = 0, o = at; g < groups; g++, o += 4) {
      const a = planes[g] as number;
      const b = planes[groups + g] as number;
      const c = planes[2 * groups + g] as number;
      const d = planes[3 * groups + g] as number;
      if (size === 8) high |= (planes[4 * groups + g] as number) | (planes[5 * groups + g] as number) | (planes[6 * groups + g] as number) | (planes[7 * groups + g] as number);
      sum += ((a & 0xff) | ((b & 0xff) << 8) | ((c & 0xff) << 16) | (d << 24)) >>> 0;
      out[o] = sum;
      sum += (((a >>> 8) & 0xff) | (b & 0xff00) | ((c & 0xff00) << 8) | ((d >>> 8) << 24)) >>> 0;
      out[o + 1] = sum;
      sum += (((a >>> 16) & 0xff) | ((b >>> 8) & 0xff00) | (c & 0xff0000) | ((d >>> 16) << 24)) >>> 0;
      out[o + 2] = sum;
      sum += ((a >>> 24) | ((b >>> 16) & 0xff00) | ((c >>> 8) & 0xff0000) | (d & 0xff000000)) >>> 0;
      out[o + 3] = sum;
      if (sum > 0x7fffffff) indexOverflow(sum);
    }
    done = count;
  }
  for (let i = done; i < count; i++) {
    const lo = ((bytes[i] as number) | ((bytes[count + i] as number) << 8) | ((bytes[2 * count + i] as number) << 16) | ((bytes[3 * count + i] as number) << 24)) >>> 0;
    if (size === 8) high |= (bytes[4 * count + i] as number) | (bytes[5 * count + i] as number) | (bytes[6 * count + i] as number) | (bytes[7 * count + i] as number);
    sum += lo;
    if (sum > 0x7fffffff) indexOverflow(sum);
    out[at + i] = sum;
  }
  if (high !== 0) indexOverflow(2 ** 32);
  // Deltas are unsigned, so ends only grow within the page; the first end is absolute and must not fall below the
  // previous page's last.
  if (count > 0 && (out[at] as number) < previous) throw new PageDecodeError(`collection offsets decrease at the page's first element (${previous} then ${out[at]})`);
}
