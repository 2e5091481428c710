import { describe, expect, it } from 'vitest';
import { computeIntervalMetrics, intervalSetSummary } from './interval-metrics';
import { quantileScore } from './quantile-score';
import { signalStrengthMaeTerm } from './signal-strength-mae';

function constantSets(sizes: number[]) {
  const n = sizes.reduce((a, b) => a + b, 0);
  const setIds = new Float64Array(n);
  const muTrue = new Float64Array(n);
  const muHat = new Float64Array(n);
  const deltaMuHat = new Float64Array(n);
  const p16 = new Float64Array(n);
  const p84 = new Float64Array(n);
  let i = 0;
  sizes.forEach((size, set) => {
    for (let k = 0; k < size; k++, i++) {
      setIds[i] = 10 * set;
      muTrue[i] = 1 + set;
      const estimate = 1 + set + (set + 1) * 0.1; // error 0.1, 0.2, … per set
      muHat[i] = estimate;
      deltaMuHat[i] = 0.1;
      p16[i] = estimate - 0.15;
      p84[i] = estimate + 0.15;
    }
  });
  return { setIds, muTrue, muHat, deltaMuHat, p16, p84 };
}

describe('computeIntervalMetrics', () => {
  it('pools coverage and width over all PEs with N = total, as FAIR-Universe does', () => {
    const input = constantSets([30, 70]);
    const metrics = computeIntervalMetrics(input);
    // Set 0 (error 0.1) is covered, set 1 (error 0.2) is not: pooled coverage 0.3 with N = 100.
    expect(metrics.coverage).toBe(0.3);
    expect(metrics.interval_width).toBeCloseTo(0.3, 14);
    expect(metrics.quantile_score).toBeCloseTo(quantileScore(metrics.interval_width, 0.3, 100), 14);
  });

  it('averages rmse and mae per set first, then over the sets (not per PE)', () => {
    const input = constantSets([30, 70]);
    const metrics = computeIntervalMetrics(input);
    const set0 = signalStrengthMaeTerm(1, 1.1, 0.1);
    const set1 = signalStrengthMaeTerm(2, 2.2, 0.1);
    expect(metrics.mae).toBeCloseTo((set0 + set1) / 2, 14);
    expect(Math.abs(metrics.mae - (30 * set0 + 70 * set1) / 100)).toBeGreaterThan(0.01);
  });

  it('treats a missing set id column as one set', () => {
    const { setIds: _ignored, ...oneSet } = constantSets([5, 5]);
    const metrics = computeIntervalMetrics(oneSet);
    expect(metrics.mae).toBeCloseTo((5 * signalStrengthMaeTerm(1, 1.1, 0.1) + 5 * signalStrengthMaeTerm(2, 2.2, 0.1)) / 10, 14);
  });

  it('orders sets by ascending set id and scores each with its own N', () => {
    const input = constantSets([4, 6]);
    input.setIds.set([10, 10, 10, 10, 0, 0, 0, 0, 0, 0]); // rows of set 10 first: set order follows the ids
    const summary = intervalSetSummary(input);
    expect(Array.from(summary.setIds)).toEqual([0, 10]);
    expect(Array.from(summary.sizes)).toEqual([6, 4]);
  });

  it('scores a single pseudo-experiment (N = 1) without NaN', () => {
    const metrics = computeIntervalMetrics({
      muTrue: Float64Array.of(1),
      muHat: Float64Array.of(1.05),
      deltaMuHat: Float64Array.of(0.1),
      p16: Float64Array.of(0.95),
      p84: Float64Array.of(1.15),
    });
    expect(metrics.coverage).toBe(1);
    expect(Object.values(metrics).every(Number.isFinite)).toBe(true);
  });

  it('rejects empty, mismatched or non-finite input with typed errors naming the row', () => {
    const input = constantSets([3]);
    expect(() => computeIntervalMetrics({ ...input, p84: Float64Array.of(1, 2) })).toThrow(expect.objectContaining({ code: 'LENGTH_MISMATCH' }));
    const bad = Float64Array.from(input.muHat);
    bad[2] = Number.NaN;
    expect(() => computeIntervalMetrics({ ...input, muHat: bad })).toThrow(
      expect.objectContaining({ code: 'NON_FINITE', row: 2, message: 'Values of muHat must be finite numbers; found NaN at row 2.' }),
    );
    const huge = Float64Array.from(input.p84);
    huge[0] = 1e60;
    expect(() => computeIntervalMetrics({ ...input, p84: huge })).toThrow(expect.objectContaining({ code: 'OUT_OF_RANGE', row: 0 }));
    const empty = new Float64Array(0);
    expect(() => computeIntervalMetrics({ muTrue: empty, muHat: empty, deltaMuHat: empty, p16: empty, p84: empty })).toThrow(
      expect.objectContaining({ code: 'EMPTY' }),
    );
  });
});
