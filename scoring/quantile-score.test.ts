import { describe, expect, it } from 'vitest';
import { coveragePenalty, quantileScore } from './quantile-score';

describe('coveragePenalty', () => {
  it('is flat on [0.65326, 0.71214] for N = 1000 and [0.67339, 0.69201] for N = 10000 (σ68 = 0.014718 at N = 1000)', () => {
    const sigma68 = Math.sqrt(0.6827 * 0.3173 * 1000) / 1000;
    expect(sigma68).toBeCloseTo(0.014718, 6);
    expect(coveragePenalty(0.6533, 1000)).toBe(1);
    expect(coveragePenalty(0.7121, 1000)).toBe(1);
    expect(coveragePenalty(0.6532, 1000)).toBeGreaterThan(1);
    expect(coveragePenalty(0.7122, 1000)).toBeGreaterThan(1);
    expect(coveragePenalty(0.6734, 10000)).toBe(1);
    expect(coveragePenalty(0.6733, 10000)).toBeGreaterThan(1);
    expect(coveragePenalty(0.6920, 10000)).toBe(1);
    expect(coveragePenalty(0.6921, 10000)).toBeGreaterThan(1);
  });

  it('penalises under-coverage quartically and over-coverage cubically, in units of σ68', () => {
    const n = 1000;
    const sigma68 = Math.sqrt(0.6827 * 0.3173 * n) / n;
    const lo = 0.6827 - 2 * sigma68;
    const hi = 0.6827 + 2 * sigma68;
    expect(coveragePenalty(lo - 2 * sigma68, n)).toBeCloseTo(1 + 16, 9);
    expect(coveragePenalty(hi + 2 * sigma68, n)).toBeCloseTo(1 + 8, 9);
  });

  it('rejects a non-positive N or a non-finite coverage', () => {
    expect(() => coveragePenalty(0.68, 0)).toThrow(RangeError);
    expect(() => coveragePenalty(Number.NaN, 10)).toThrow(RangeError);
  });
});

describe('quantileScore', () => {
  it('gives the TSDoc example: −ln(w + 0.001) inside the flat region', () => {
    expect(quantileScore(0.2, 0.68, 1000)).toBeCloseTo(-Math.log(0.201), 15);
  });

  it('prefers narrower intervals at good coverage and punishes bad coverage', () => {
    expect(quantileScore(0.1, 0.68, 1000)).toBeGreaterThan(quantileScore(0.2, 0.68, 1000));
    expect(quantileScore(0.1, 0.4, 1000)).toBeLessThan(quantileScore(0.2, 0.68, 1000));
  });

  it('stays finite for zero width (the 0.001 floor)', () => {
    expect(quantileScore(0, 0.68, 100)).toBeCloseTo(-Math.log(0.001), 12);
  });
});
