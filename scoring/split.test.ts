import { describe, expect, it } from 'vitest';
import { assignPublicSplit, isPublicEvent, splitMix64, splitUniform, splitUniformBigInt } from './split';

// Cross-checked once with an independent Python implementation (arbitrary-precision ints masked to 64 bits):
//   M = 2**64 - 1; z = ((id ^ seed) + 0x9E3779B97F4A7C15) & M; z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
//   z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M; u = ((z ^ (z >> 31)) >> 11) / 2**53
const knownValues: Array<[id: number, seed: number, u: number]> = [
  [0, 0, 0.8833108082136426],
  [100001, 42, 0.8322109217514111],
  [123456789, 2024, 0.75777986733532],
  [350000, 20140915, 0.13975189532942744],
  [2 ** 53 - 1, 7, 0.06311560402050087],
  [-5, 3, 0.535104757493082],
];

describe('split', () => {
  it('implements the standard SplitMix64 finaliser (splitMix64(0) = 0xE220A8397B1DCDAF)', () => {
    expect(splitMix64(0n)).toBe(0xe220a8397b1dcdafn);
  });

  it.each(knownValues)('u(%i, %i) = %f, as the independent Python implementation gives', (id, seed, u) => {
    expect(splitUniform(id, seed)).toBe(u);
    expect(splitUniformBigInt(id, seed)).toBe(u);
  });

  it('gives bit-identical results on two 32-bit halves and with BigInt', () => {
    const seeds = [0, 1, 42, 0xffffffff, 2 ** 32, 2 ** 40 + 17, 2 ** 53 - 1, -1, -(2 ** 31)];
    const ids = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 2 ** 32, 2 ** 32 + 1, 2 ** 52 + 3, 2 ** 53 - 1, -1, -12345];
    for (let k = 0; k < 2000; k++) ids.push(k * 7919 + 100000, Math.floor(k * 2654435761.5) % 2 ** 53);
    for (const seed of seeds) {
      for (const id of ids) {
        expect(splitUniform(id, seed)).toBe(splitUniformBigInt(id, seed));
      }
    }
  });

  it('assigns the bulk split exactly as isPublicEvent does, element by element', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => 100000 + 3 * i);
    const bulk = assignPublicSplit(ids, 20140915, 0.18);
    ids.forEach((id, i) => expect(bulk[i]).toBe(isPublicEvent(id, 20140915, 0.18) ? 1 : 0));
  });

  it('puts close to publicFraction of the events in the public split', () => {
    const ids = new Float64Array(100_000).map((_, i) => i);
    const publicCount = assignPublicSplit(ids, 7, 0.3).reduce((sum, v) => sum + v, 0);
    // Binomial sd = √(1e5 · 0.3 · 0.7) ≈ 145; allow 5 sd.
    expect(Math.abs(publicCount - 30_000)).toBeLessThan(725);
  });

  it('depends on the seed', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => i);
    const a = assignPublicSplit(ids, 1, 0.5);
    const b = assignPublicSplit(ids, 2, 0.5);
    expect(a.some((v, i) => v !== b[i])).toBe(true);
  });

  it('makes nothing public at fraction 0 and everything public at fraction 1', () => {
    const ids = Array.from({ length: 100 }, (_, i) => i);
    expect(assignPublicSplit(ids, 3, 0).every((v) => v === 0)).toBe(true);
    expect(assignPublicSplit(ids, 3, 1).every((v) => v === 1)).toBe(true);
  });

  it('rejects a non-integer id (naming its row) and a fraction outside [0, 1]', () => {
    expect(() => assignPublicSplit([1, 2.5], 0, 0.5)).toThrow(/found 2.5 at row 1/);
    expect(() => isPublicEvent(1, 0, 1.5)).toThrow(/publicFraction must be a number in \[0, 1\]; found 1.5/);
    expect(() => splitUniform(Number.NaN, 0)).toThrow(RangeError);
  });
});
