import { describe, expect, it } from 'vitest';
import { transposeFourPlanes } from './simd-transpose';

describe('WebAssembly SIMD transposition of split byte planes', () => {
  it('is available on this Node (WebAssembly SIMD), so split pages take the fast path', () => {
    expect(transposeFourPlanes).not.toBeNull();
  });

  it.each([0, 1, 15, 16, 17, 31, 32, 255, 256, 1000, 16_384, 75_001])('puts byte k of element i (plane k) at 4i + k for %i elements, tail included', (count) => {
    const planes = Uint8Array.from({ length: 4 * count }, (_, i) => (i * 37 + 11) & 255);
    const expected = new Uint8Array(4 * count);
    for (let i = 0; i < count; i++) for (let k = 0; k < 4; k++) expected[4 * i + k] = planes[k * count + i] as number;
    const target = new Uint8Array(4 * count);
    transposeFourPlanes?.(planes, count, target);
    expect(Buffer.from(target).equals(Buffer.from(expected))).toBe(true);
  });

  it('reads only the first four planes of an 8-byte column and leaves the bytes around the target alone', () => {
    const count = 40;
    const planes = Uint8Array.from({ length: 8 * count }, (_, i) => i & 255);
    const target = new Uint8Array(4 * count + 8).fill(7);
    transposeFourPlanes?.(planes, count, target.subarray(4, 4 + 4 * count));
    expect(Array.from(target.subarray(0, 4))).toEqual([7, 7, 7, 7]);
    expect(Array.from(target.subarray(4, 8))).toEqual([0, 40, 80, 120]);
    expect(Array.from(target.subarray(4 + 4 * count))).toEqual([7, 7, 7, 7]);
  });

  it('transposes a page in its own buffer (target = planes)', () => {
    const count = 1003;
    const planes = Uint8Array.from({ length: 4 * count }, (_, i) => (i * 13) & 255);
    const expected = new Uint8Array(4 * count);
    for (let i = 0; i < count; i++) for (let k = 0; k < 4; k++) expected[4 * i + k] = planes[k * count + i] as number;
    transposeFourPlanes?.(planes, count, planes);
    expect(Buffer.from(planes).equals(Buffer.from(expected))).toBe(true);
  });
});
