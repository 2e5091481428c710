import { describe, expect, it } from 'vitest';
import { intervalWidth } from './interval-width';

describe('intervalWidth', () => {
  it('gives the TSDoc example: inverted intervals count with their absolute width', () => {
    expect(intervalWidth(Float64Array.of(0.9, 1.2), Float64Array.of(1.1, 1.0))).toBeCloseTo(0.2, 15);
  });

  it('rejects empty or mismatched arrays instead of returning NaN', () => {
    expect(() => intervalWidth(new Float64Array(0), new Float64Array(0))).toThrow(RangeError);
    expect(() => intervalWidth(Float64Array.of(1), Float64Array.of(1, 2))).toThrow(RangeError);
  });
});
