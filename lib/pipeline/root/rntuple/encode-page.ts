import type { ColumnTypeInfo } from './column-types';

/** Elements one column of a written cluster holds, in memory. */
export type WritableElements = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;

function bytesOf(values: WritableElements): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

function split(bytes: Uint8Array, count: number, size: number): Uint8Array {
  const out = new Uint8Array(count * size);
  for (let b = 0; b < size; b++) {
    const to = b * count;
    for (let i = 0, from = b; i < count; i++, from += size) out[to + i] = bytes[from] as number;
  }
  return out;
}

/**
 * Encodes `values` as one page of `type` (the inverse of decodePage): split, zigzag + split for signed integers,
 * page-local delta + split for index columns (values are cluster-relative end offsets), bit packing for Bit.
 */
export function encodePage(values: WritableElements, type: ColumnTypeInfo): Uint8Array {
  const count = values.length;
  if (type.encoding === 'bits') {
    const out = new Uint8Array(Math.ceil(count / 8));
    for (let i = 0; i < count; i++) if (values[i]) out[i >>> 3] = (out[i >>> 3] as number) | (1 << (i & 7));
    return out;
  }
  const size = type.bits / 8;
  if (type.value === 'index') {
    const ends = values as Int32Array;
    const out = size === 8 ? new BigInt64Array(count) : new Int32Array(count);
    let previous = 0;
    for (let i = 0; i < count; i++) {
      const end = ends[i] as number;
      const value = type.encoding === 'split-delta' ? end - previous : end;
      if (out instanceof BigInt64Array) out[i] = BigInt(value);
      else out[i] = value;
      previous = end;
    }
    const raw = bytesOf(out);
    return type.encoding === 'split-delta' ? split(raw, count, size) : raw.slice();
  }
  if (type.encoding === 'plain') return bytesOf(values).slice();
  if (type.encoding === 'split') return split(bytesOf(values), count, size);
  // zigzag + split: x → (x << 1) ^ (x >> (bits − 1)) in the column's width.
  if (values instanceof BigInt64Array) {
    const words = new Uint32Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
    for (let i = 0; i < count; i++) {
      const lo = words[2 * i] as number;
      const hi = words[2 * i + 1] as number;
      const sign = hi >> 31;
      words[2 * i] = ((lo << 1) ^ sign) >>> 0;
      words[2 * i + 1] = (((hi << 1) | (lo >>> 31)) ^ sign) >>> 0;
    }
    return split(new Uint8Array(words.buffer), count, size);
  }
  const zigzag = size === 2 ? new Uint16Array(count) : new Uint32Array(count);
  const shift = size * 8 - 1;
  for (let i = 0; i < count; i++) {
    const x = values[i] as number;
    zigzag[i] = size === 2 ? ((x << 1) ^ (x >> 15)) & 0xffff : ((x << 1) ^ (x >> shift)) >>> 0;
  }
  return split(bytesOf(zigzag), count, size);
}
