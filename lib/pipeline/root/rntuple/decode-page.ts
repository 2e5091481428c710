import type { ColumnTypeInfo } from './column-types';

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

/** Reverses split encoding: byte b of element i is stored at b·count + i. */
function unsplit(bytes: Uint8Array, count: number, size: number): Uint8Array {
  const out = new Uint8Array(count * size);
  if (size === 4) {
    const words = new Uint32Array(out.buffer);
    const b1 = count;
    const b2 = 2 * count;
    const b3 = 3 * count;
    for (let i = 0; i < count; i++) {
      words[i] = ((bytes[i] as number) | ((bytes[b1 + i] as number) << 8) | ((bytes[b2 + i] as number) << 16) | ((bytes[b3 + i] as number) << 24)) >>> 0;
    }
    return out;
  }
  if (size === 2) {
    const halves = new Uint16Array(out.buffer);
    for (let i = 0; i < count; i++) halves[i] = (bytes[i] as number) | ((bytes[count + i] as number) << 8);
    return out;
  }
  for (let b = 0; b < size; b++) {
    const from = b * count;
    for (let i = 0, o = b; i < count; i++, o += size) out[o] = bytes[from + i] as number;
  }
  return out;
}

/** Reads `count` values of `bits` bits (1…32), packed least significant bit first. */
function unpackBits(bytes: Uint8Array, count: number, bits: number): Uint32Array {
  const out = new Uint32Array(count);
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

function toIndex32(lo: number, hi: number): number {
  if (hi !== 0 || lo > 0x7fffffff) throw new PageDecodeError(`an index of ${hi * 2 ** 32 + lo} exceeds 2^31 − 1 elements in one cluster`);
  return lo;
}

/**
 * Decodes one uncompressed page of `count` elements (specification: "Column Description": split, zigzag + split,
 * delta + split, bit-packed Bit, Real32Trunc, Real32Quant, Real16, Switch). Index columns come out as Int32Array of
 * cluster-relative end offsets. Throws PageDecodeError when the bytes cannot hold `count` elements.
 */
export function decodePage(bytes: Uint8Array, count: number, column: PageColumn): DecodedElements {
  if (!IS_LITTLE_ENDIAN) throw new PageDecodeError('this reader runs on little-endian machines only');
  const { type, bitsOnStorage } = column;
  const expected = Math.ceil((count * bitsOnStorage) / 8);
  if (bytes.length !== expected) throw new PageDecodeError(`the page has ${bytes.length} bytes, ${count} elements of ${bitsOnStorage} bits need ${expected}`);
  const size = bitsOnStorage / 8;
  switch (type.encoding) {
    case 'bits': {
      const out = new Uint8Array(count);
      for (let i = 0; i < count; i++) out[i] = ((bytes[i >>> 3] as number) >>> (i & 7)) & 1;
      return out;
    }
    case 'truncated': {
      const packed = unpackBits(bytes, count, bitsOnStorage);
      const shift = 32 - bitsOnStorage;
      const words = new Uint32Array(count);
      for (let i = 0; i < count; i++) words[i] = ((packed[i] as number) << shift) >>> 0;
      return new Float32Array(words.buffer);
    }
    case 'quantized': {
      const [min, max] = column.valueRange ?? [Number.NaN, Number.NaN];
      if (!Number.isFinite(min) || !Number.isFinite(max)) throw new PageDecodeError('a Real32Quant column has no value range');
      const packed = unpackBits(bytes, count, bitsOnStorage);
      const scale = (max - min) / (2 ** bitsOnStorage - 1);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = Math.min((packed[i] as number) * scale + min, max);
      return out;
    }
    case 'plain':
    case 'split':
    case 'split-zigzag':
    case 'split-delta': {
      if (type.value === 'switch') {
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const index = new Int32Array(count);
        const tag = new Int32Array(count);
        for (let i = 0; i < count; i++) {
          index[i] = toIndex32(view.getUint32(12 * i, true), view.getUint32(12 * i + 4, true));
          tag[i] = view.getInt32(12 * i + 8, true);
        }
        return { index, tag };
      }
      // A copy (not bytes.slice(), which shares memory when a zlib Buffer is passed): results own their buffers.
      const raw = type.encoding === 'plain' ? new Uint8Array(bytes) : unsplit(bytes, count, size);
      return interpret(raw, count, type, size);
    }
  }
}

function interpret(raw: Uint8Array, count: number, type: ColumnTypeInfo, size: number): DecodedElements {
  const buffer = raw.buffer as ArrayBuffer;
  const offset = raw.byteOffset;
  const zigzag = type.encoding === 'split-zigzag';
  switch (type.value) {
    case 'byte':
    case 'char':
    case 'uint8':
      return raw;
    case 'int8':
      return new Int8Array(buffer, offset, count);
    case 'int16': {
      const out = new Int16Array(buffer, offset, count);
      if (zigzag) for (let i = 0; i < count; i++) { const x = (out[i] as number) & 0xffff; out[i] = (x >>> 1) ^ -(x & 1); }
      return out;
    }
    case 'uint16':
      return new Uint16Array(buffer, offset, count);
    case 'int32': {
      const out = new Int32Array(buffer, offset, count);
      if (zigzag) for (let i = 0; i < count; i++) { const x = out[i] as number; out[i] = (x >>> 1) ^ -(x & 1); }
      return out;
    }
    case 'uint32':
      return new Uint32Array(buffer, offset, count);
    case 'int64': {
      if (zigzag) {
        const words = new Uint32Array(buffer, offset, 2 * count);
        for (let i = 0; i < count; i++) {
          const lo = words[2 * i] as number;
          const hi = words[2 * i + 1] as number;
          const negative = lo & 1;
          let newLo = ((lo >>> 1) | (hi << 31)) >>> 0;
          let newHi = hi >>> 1;
          if (negative) {
            newLo = ~newLo >>> 0;
            newHi = ~newHi >>> 0;
          }
          words[2 * i] = newLo;
          words[2 * i + 1] = newHi;
        }
      }
      return new BigInt64Array(buffer, offset, count);
    }
    case 'uint64':
      return new BigUint64Array(buffer, offset, count);
    case 'real16': {
      const halves = new Uint16Array(buffer, offset, count);
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(halves[i] as number);
      return out;
    }
    case 'real32':
      return new Float32Array(buffer, offset, count);
    case 'real64':
      return new Float64Array(buffer, offset, count);
    case 'index': {
      const out = new Int32Array(count);
      const isDelta = type.encoding === 'split-delta';
      if (size === 4) {
        const values = new Uint32Array(buffer, offset, count);
        let sum = 0;
        for (let i = 0; i < count; i++) {
          sum = isDelta ? sum + (values[i] as number) : (values[i] as number);
          out[i] = toIndex32(sum, 0);
        }
      } else {
        const words = new Uint32Array(buffer, offset, 2 * count);
        let sum = 0;
        for (let i = 0; i < count; i++) {
          const value = toIndex32(words[2 * i] as number, words[2 * i + 1] as number);
          sum = isDelta ? sum + value : value;
          out[i] = toIndex32(sum, 0);
        }
      }
      return out;
    }
    default:
      throw new PageDecodeError(`column type ${type.name} cannot be decoded as ${type.value}`);
  }
}
