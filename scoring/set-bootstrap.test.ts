import { describe, expect, it } from 'vitest';
import { computeIntervalMetrics, intervalSetSummary } from './interval-metrics';
import { bootstrapIntervalSets } from './set-bootstrap';

function sets(count: number, size: number) {
  const n = count * size;
  const input = {
    setIds: new Float64Array(n),
    muTrue: new Float64Array(n),
    muHat: new Float64Array(n),
    deltaMuHat: new Float64Array(n).fill(0.1),
    p16: new Float64Array(n),
    p84: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const set = Math.floor(i / size);
    input.setIds[i] = set;
    input.muTrue[i] = 1;
    const estimate = 1 + ((i * 7919) % 13) / 100 - 0.06;
    input.muHat[i] = estimate;
    input.p16[i] = estimate - 0.05 - set / 100;
    input.p84[i] = estimate + 0.05 + set / 100;
  }
  return input;
}

describe('bootstrapIntervalSets', () => {
  it('is deterministic and recomputes each resample from per-set coverage and width', () => {
    const input = sets(5, 40);
    const a = bootstrapIntervalSets(input, { resamples: 50 });
    const b = bootstrapIntervalSets(input, { resamples: 50 });
    expect(Array.from(a.quantile_score.values)).toEqual(Array.from(b.quantile_score.values));
    expect(a.sets).toBe(5);
    expect(a.sampleSize).toBe(5);
    expect(a.quantile_score.std).toBeGreaterThan(0);
    const summary = intervalSetSummary(input);
    const widths = Array.from(summary.intervalWidth);
    for (const width of a.interval_width.values) {
      expect(width).toBeGreaterThanOrEqual(Math.min(...widths) - 1e-12);
      expect(width).toBeLessThanOrEqual(Math.max(...widths) + 1e-12);
    }
  });

  it('gives zero spread with one set: every resample draws it', () => {
    const input = sets(1, 30);
    const result = bootstrapIntervalSets(input, { resamples: 20 });
    expect(result.quantile_score.std).toBeLessThan(1e-12);
    expect(new Set(result.quantile_score.values).size).toBe(1);
    expect(result.quantile_score.mean).toBeCloseTo(computeIntervalMetrics(input).quantile_score, 12);
  });

  it('rejects unusable options with typed errors', () => {
    const input = sets(2, 3);
    expect(() => bootstrapIntervalSets(input, { resamples: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    expect(() => bootstrapIntervalSets(input, { seed: -1 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    expect(() => bootstrapIntervalSets(input, { sampleSize: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });
});
