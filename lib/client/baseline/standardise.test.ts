import { describe, expect, it } from 'vitest';
import { applyStandardiser, fitStandardiser } from './standardise';

const missing = -25;
const m = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0]?.length ?? 0 });

describe('standardisation for the browser baseline', () => {
  it('takes mean and spread from present values only, never from the missing-value sentinel', () => {
    const s = fitStandardiser(m([[1, 10], [3, missing], [5, 30]]), ['a', 'b'], missing);
    expect(Array.from(s.mean)).toEqual([3, 20]);
    expect(s.std[0]).toBeCloseTo(Math.sqrt(8 / 3), 12);
    expect(s.std[1]).toBeCloseTo(10, 12);
  });

  it('maps a missing value to 0 and adds an is-missing column only for features that have missing values', () => {
    const s = fitStandardiser(m([[1, 10], [3, missing], [5, 30]]), ['a', 'b'], missing);
    expect(s.indicatorFeatures).toEqual([1]);
    const out = applyStandardiser(s, m([[3, missing], [5, 30]]));
    expect(out.cols).toBe(3);
    expect(Array.from(out.data)).toEqual([0, 0, 1, Math.fround(2 / Math.sqrt(8 / 3)), 1, 0]);
  });

  it('uses the training statistics for other data, so validation and test rows are not peeked at', () => {
    const s = fitStandardiser(m([[0], [2]]), ['a'], missing);
    const test = applyStandardiser(s, m([[100]]));
    expect(test.data[0]).toBeCloseTo(99, 5);
  });

  it('keeps a constant or all-missing feature finite instead of dividing by zero', () => {
    const s = fitStandardiser(m([[7, missing], [7, missing]]), ['c', 'd'], missing);
    const out = applyStandardiser(s, m([[7, missing]]));
    expect(Array.from(out.data).every(Number.isFinite)).toBe(true);
    expect(Array.from(out.data)).toEqual([0, 0, 1]);
  });
});
