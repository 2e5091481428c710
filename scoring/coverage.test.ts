import { describe, expect, it } from 'vitest';
import { intervalCoverage } from './coverage';

describe('intervalCoverage', () => {
  it('gives the TSDoc example: both ends are inclusive', () => {
    expect(intervalCoverage(Float64Array.of(1, 1), Float64Array.of(0.9, 1.0), Float64Array.of(1.1, 1.0))).toBe(1);
  });

  it('counts an inverted interval as not covering, even around μ', () => {
    expect(intervalCoverage(Float64Array.of(1, 1), Float64Array.of(1.1, 0.5), Float64Array.of(0.9, 1.5))).toBe(0.5);
  });

  it('rejects empty input instead of returning NaN', () => {
    expect(() => intervalCoverage(new Float64Array(0), new Float64Array(0), new Float64Array(0))).toThrow(RangeError);
  });
});
