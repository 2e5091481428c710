import { describe, expect, it } from 'vitest';
import { drawResampleCounts, fnv1a64, highWordOfProduct, replicaGenerator, splitStreamKey, Xoshiro128StarStar } from './bootstrap-resampling';

const countsOf = (seed: number, key: string, replica: number, n: number) =>
  Array.from(drawResampleCounts(replicaGenerator(splitStreamKey(seed, key), replica), new Uint16Array(n)));

describe('bootstrap resampling rule', () => {
  it('depends only on (seed, split key, replica number) and n: the same call gives the same counts', () => {
    expect(countsOf(7, 'public', 3, 1000)).toEqual(countsOf(7, 'public', 3, 1000));
    expect(countsOf(7, 'public', 3, 1000)).not.toEqual(countsOf(7, 'public', 4, 1000));
    expect(countsOf(7, 'public', 3, 1000)).not.toEqual(countsOf(7, 'private', 3, 1000));
    expect(countsOf(7, 'public', 3, 1000)).not.toEqual(countsOf(8, 'public', 3, 1000));
  });

  it('draws n rows with replacement: counts sum to n, about 1 − 1/e of the rows appear', () => {
    const n = 100_000;
    const counts = countsOf(1, 'x', 0, n);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    const present = counts.filter((c) => c > 0).length / n;
    expect(Math.abs(present - (1 - Math.exp(-1)))).toBeLessThan(0.01);
  });

  it('writes counts at the given positions when asked (same multiplicities, another order)', () => {
    const n = 50;
    const positions = Uint32Array.from({ length: n }, (_, i) => n - 1 - i);
    const plain = countsOf(3, 'k', 2, n);
    const moved = Array.from(drawResampleCounts(replicaGenerator(splitStreamKey(3, 'k'), 2), new Uint16Array(n), positions));
    expect(moved).toEqual(plain.slice().reverse());
  });

  it('computes the high word of x·n exactly (checked against BigInt), on both sides of 2^21 rows', () => {
    const xs = [0, 1, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 123456789, 3000000000];
    const ns = [1, 2, 3, 2 ** 21 - 1, 2 ** 21, 2 ** 21 + 1, 10_000_019, 2 ** 31 - 1];
    for (const x of xs) {
      for (const n of ns) expect(highWordOfProduct(x, n)).toBe(Number((BigInt(x) * BigInt(n)) >> 32n));
    }
  });

  it('implements FNV-1a 64 and xoshiro128** as published', () => {
    expect(fnv1a64('')).toBe(0xcbf29ce484222325n);
    expect(fnv1a64('a')).toBe(0xaf63dc4c8601ec8cn);
    // xoshiro128** reference (Vigna's xoshiro128starstar.c) from state {1, 2, 3, 4}: 11520, 0, 5927040, 70819200.
    const generator = new Xoshiro128StarStar(1, 2, 3, 4);
    expect([generator.next(), generator.next(), generator.next(), generator.next()]).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('rejects a non-integer seed or replica number with a typed error', () => {
    expect(() => splitStreamKey(1.5, 'x')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    expect(() => replicaGenerator(splitStreamKey(1, 'x'), -1)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });
});
