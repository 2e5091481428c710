import { describe, expect, it } from 'vitest';
import { columnTypeOf, type ColumnTypeInfo } from './column-types';
import { allocateElements, type DecodedElements, decodePageInto, PageDecodeError } from './decode-page';
import { encodePage, type WritableElements } from './encode-page';

const type = (name: string): ColumnTypeInfo => {
  for (let code = 0; code < 0x20; code++) if (columnTypeOf(code)?.name === name) return columnTypeOf(code) as ColumnTypeInfo;
  throw new Error(name);
};
const decode = (bytes: Uint8Array, count: number, name: string, bits?: number, range: [number, number] | null = null): DecodedElements => {
  const column = { type: type(name), bitsOnStorage: bits ?? type(name).bits, valueRange: range };
  const out = allocateElements(column, count);
  decodePageInto(bytes, count, column, out, 0);
  return out;
};
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

describe('RNTuple page encodings (specification 1.0, "Column Description")', () => {
  it('reverses the split encoding: all first bytes, then all second bytes, …', () => {
    // Two UInt32 elements 0x04030201 and 0x08070605 split into 01 05 02 06 03 07 04 08.
    const split = new Uint8Array([1, 5, 2, 6, 3, 7, 4, 8]);
    expect(Array.from(decode(split, 2, 'SplitUInt32') as Uint32Array)).toEqual([0x04030201, 0x08070605]);
    expect(Array.from(decode(new Uint8Array([1, 3, 2, 4]), 2, 'SplitUInt16') as Uint16Array)).toEqual([0x0201, 0x0403]);
  });

  it('maps zigzag codes back to signed integers: 0→0, 1→−1, 2→1, 3→−2', () => {
    const codes = new Uint32Array([0, 1, 2, 3, 0xfffffffe, 0xffffffff]);
    const split = encodeRawSplit(new Uint8Array(codes.buffer), codes.length, 4);
    expect(Array.from(decode(split, codes.length, 'SplitInt32') as Int32Array)).toEqual([0, -1, 1, -2, 2147483647, -2147483648]);
  });

  it('decodes the specification example of a vector<float> index column, [1, 1, 3], stored as deltas', () => {
    const deltas = new BigInt64Array([1n, 0n, 2n]);
    const split = encodeRawSplit(new Uint8Array(deltas.buffer), 3, 8);
    expect(Array.from(decode(split, 3, 'SplitIndex64') as Int32Array)).toEqual([1, 1, 3]);
    expect(Array.from(decode(new Uint8Array(new BigInt64Array([1n, 1n, 3n]).buffer), 3, 'Index64') as Int32Array)).toEqual([1, 1, 3]);
    expect(Array.from(decode(new Uint8Array(new Int32Array([1, 1, 3]).buffer), 3, 'Index32') as Int32Array)).toEqual([1, 1, 3]);
  });

  it('unpacks Bit columns least significant bit first', () => {
    expect(Array.from(decode(new Uint8Array([0b10100101, 0b1]), 9, 'Bit') as Uint8Array)).toEqual([1, 0, 1, 0, 0, 1, 0, 1, 1]);
  });

  it('keeps the top bits of a float for Real32Trunc and zeroes the rest', () => {
    const value = Math.fround(1.23456789);
    const bits = new Uint32Array(new Float32Array([value]).buffer)[0] as number;
    for (const kept of [10, 16, 24, 31]) {
      const packed = packBits([bits >>> (32 - kept)], kept);
      const expected = new Float32Array(new Uint32Array([(bits >>> (32 - kept)) * 2 ** (32 - kept)]).buffer)[0];
      expect((decode(packed, 1, 'Real32Trunc', kept) as Float32Array)[0]).toBe(expected);
    }
  });

  it('maps Real32Quant integers onto [min, max] with ROOT\'s formula q·(max−min)/(2^n−1)+min, clamped to max', () => {
    const n = 8;
    const packed = packBits([0, 255, 128], n);
    const out = decode(packed, 3, 'Real32Quant', n, [-2, 3]) as Float64Array;
    expect(Array.from(out)).toEqual([-2, 3, 128 * (5 / 255) - 2]);
    const wide = decode(packBits([0xffffffff], 32), 1, 'Real32Quant', 32, [-2, 3]) as Float64Array;
    expect(wide[0]).toBe(3);
  });

  it('decodes Real16 half floats (normal, subnormal, zero, infinity)', () => {
    const halves = new Uint16Array([0x3c00, 0xc000, 0x0001, 0x0000, 0x7c00, 0x3555]);
    const out = decode(new Uint8Array(halves.buffer), halves.length, 'Real16') as Float32Array;
    expect(Array.from(out)).toEqual([1, -2, 2 ** -24, 0, Infinity, Math.fround(0.333251953125)]);
  });

  it('decodes Switch columns as a 64-bit index and a 32-bit tag', () => {
    const bytes = new Uint8Array(24);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 7, true);
    view.setInt32(8, 2, true);
    view.setUint32(12, 0, true);
    view.setInt32(20, 1, true);
    expect(decode(bytes, 2, 'Switch')).toEqual({ index: new Int32Array([7, 0]), tag: new Int32Array([2, 1]) });
  });

  const roundTrips: [string, () => WritableElements][] = [
    ['SplitReal32', () => Float32Array.from({ length: 1001 }, (_, i) => Math.fround(Math.sin(i) * 1e4))],
    ['SplitReal64', () => Float64Array.from({ length: 999 }, (_, i) => Math.cos(i) * 1e300)],
    ['SplitInt16', () => Int16Array.from({ length: 777 }, (_, i) => ((i * 7919) % 65536) - 32768)],
    ['SplitUInt16', () => Uint16Array.from({ length: 777 }, (_, i) => (i * 7919) % 65536)],
    ['SplitInt32', () => Int32Array.from({ length: 1003 }, (_, i) => (i % 2 ? -1 : 1) * Math.imul(i, 2654435761))],
    ['SplitUInt32', () => Uint32Array.from({ length: 1003 }, (_, i) => Math.imul(i, 2654435761) >>> 0)],
    ['SplitInt64', () => BigInt64Array.from({ length: 501 }, (_, i) => (i % 2 ? -1n : 1n) * (BigInt(i) * 0x1234567890abn + 1n))],
    ['SplitUInt64', () => BigUint64Array.from({ length: 501 }, (_, i) => BigInt(i) * 0x1fedcba987654n)],
    ['Real32', () => Float32Array.from({ length: 100 }, (_, i) => i / 3)],
    ['Int64', () => BigInt64Array.from({ length: 100 }, (_, i) => -BigInt(i) << 40n)],
    ['Int8', () => Int8Array.from({ length: 300 }, (_, i) => (i % 256) - 128)],
    ['UInt8', () => Uint8Array.from({ length: 300 }, (_, i) => i % 256)],
  ];
  it.each(roundTrips)('round-trips %s through the writer\'s encoding and the reader\'s decoding', (name, make) => {
    const values = make();
    const decoded = decode(encodePage(values, type(name)), values.length, name);
    expect(Array.from(decoded as ArrayLike<number | bigint>)).toEqual(Array.from(values as ArrayLike<number | bigint>));
  });

  it('round-trips random cluster-relative offsets through SplitIndex64 and SplitIndex32 pages', () => {
    const next = lcg(9);
    const ends = new Int32Array(5000);
    for (let i = 0, sum = 0; i < ends.length; i++) ends[i] = sum += Math.floor(next() * 20);
    for (const name of ['SplitIndex64', 'SplitIndex32', 'Index64', 'Index32']) {
      expect(Array.from(decode(encodePage(ends, type(name)), ends.length, name) as Int32Array)).toEqual(Array.from(ends));
    }
  });

  it('decodes a page into the middle of a cluster column, leaving the elements before it alone', () => {
    const column = { type: type('SplitReal32'), bitsOnStorage: 32, valueRange: null };
    const out = allocateElements(column, 5) as Float32Array;
    out[0] = 42;
    decodePageInto(encodePage(new Float32Array([1, 2, 3]), type('SplitReal32')), 3, column, out, 2);
    expect(Array.from(out)).toEqual([42, 0, 1, 2, 3]);
  });

  it('refuses a page whose size does not match its element count, saying both', () => {
    expect(() => decode(new Uint8Array(7), 2, 'SplitReal32')).toThrow(PageDecodeError);
    expect(() => decode(new Uint8Array(7), 2, 'SplitReal32')).toThrow(/7 bytes, 2 elements of 32 bits need 8/);
  });

  it('refuses index values beyond 2^31 − 1 in one cluster instead of wrapping them', () => {
    const bytes = new Uint8Array(new BigInt64Array([2n ** 33n]).buffer);
    expect(() => decode(bytes, 1, 'Index64')).toThrow(/exceeds 2\^31/);
  });
});

function encodeRawSplit(bytes: Uint8Array, count: number, size: number): Uint8Array {
  const out = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) for (let b = 0; b < size; b++) out[b * count + i] = bytes[i * size + b] as number;
  return out;
}

/** Packs `bits`-bit values least significant bit first (ROOT's BitPacking::PackBits layout). */
function packBits(values: number[], bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((values.length * bits) / 8));
  values.forEach((value, i) => {
    for (let b = 0; b < bits; b++) {
      if (Math.floor(value / 2 ** b) % 2) {
        const position = i * bits + b;
        out[position >>> 3] = (out[position >>> 3] as number) | (1 << (position & 7));
      }
    }
  });
  return out;
}
