import { describe, expect, it } from 'vitest';
import { percentile, percentiles } from './percentile';

describe('percentile (numpy linear, type 7)', () => {
  it('interpolates between closest ranks like np.percentile', () => {
    expect(percentile(Float64Array.of(1, 2, 3, 4), 50)).toBe(2.5);
    // np.percentile([3, 1, 2], [16, 84]) → [1.32, 2.68]
    const [p16, p84] = percentiles(Float64Array.of(3, 1, 2), [16, 84]);
    expect(p16).toBeCloseTo(1.32, 14);
    expect(p84).toBeCloseTo(2.68, 14);
    expect(percentile(Float64Array.of(5), 84)).toBe(5);
  });

  it('never returns NaN around infinities', () => {
    expect(percentile(Float64Array.of(1, Infinity, Infinity), 90)).toBe(Infinity);
    expect(percentile(Float64Array.of(1, 2, Infinity), 84)).toBe(Infinity);
    expect(percentile(Float64Array.of(1, 2, Infinity), 16)).toBeCloseTo(1.32, 14);
    expect(percentile(Float64Array.of(-Infinity, -Infinity, 0), 10)).toBe(-Infinity);
  });

  it('rejects empty input, NaN values and percentiles outside [0, 100]', () => {
    expect(() => percentile(new Float64Array(0), 50)).toThrow(RangeError);
    expect(() => percentile(Float64Array.of(1, 2), 101)).toThrow(RangeError);
    expect(() => percentile(Float64Array.of(1, Number.NaN), 99)).toThrow(RangeError);
  });
});
