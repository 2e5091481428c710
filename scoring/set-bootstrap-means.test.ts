import { describe, expect, it } from 'vitest';
import { intervalSetSummary } from './interval-metrics';
import { bootstrapIntervalSets } from './set-bootstrap';
import { bootstrapSetMeans } from './set-bootstrap-means';

function input(count: number, size: number) {
  const n = count * size;
  const columns = {
    setIds: new Float64Array(n),
    muTrue: new Float64Array(n),
    muHat: new Float64Array(n),
    deltaMuHat: new Float64Array(n),
    p16: new Float64Array(n),
    p84: new Float64Array(n),
  };
  for (let i = 0; i < n; i++) {
    const set = Math.floor(i / size);
    columns.setIds[i] = set;
    const muTrue = 0.5 + set / 4;
    const muHat = muTrue + (((i * 7919) % 17) - 8) / 50;
    columns.muTrue[i] = muTrue;
    columns.muHat[i] = muHat;
    columns.deltaMuHat[i] = 0.1 + set / 50;
    columns.p16[i] = muHat - 0.12 - set / 40;
    columns.p84[i] = muHat + 0.12;
  }
  return columns;
}

describe('bootstrapSetMeans', () => {
  it('draws the same sets as bootstrapIntervalSets, so per-set coverage and width give its resampled values', () => {
    const data = input(7, 30);
    const summary = intervalSetSummary(data);
    const reference = bootstrapIntervalSets(data, { resamples: 40, seed: 123 });
    expect(Array.from(bootstrapSetMeans(summary.coverage, { resamples: 40, seed: 123 }))).toEqual(Array.from(reference.coverage.values));
    expect(Array.from(bootstrapSetMeans(summary.intervalWidth, { resamples: 40, seed: 123 }))).toEqual(Array.from(reference.interval_width.values));
  });

  it('spreads the rmse term around its mean over sets and depends only on the seed', () => {
    const summary = intervalSetSummary(input(9, 20));
    const a = bootstrapSetMeans(summary.rmse, { resamples: 300, seed: 5 });
    expect(Array.from(a)).toEqual(Array.from(bootstrapSetMeans(summary.rmse, { resamples: 300, seed: 5 })));
    expect(Array.from(a)).not.toEqual(Array.from(bootstrapSetMeans(summary.rmse, { resamples: 300, seed: 6 })));
    const mean = Array.from(summary.rmse).reduce((s, v) => s + v, 0) / summary.rmse.length;
    const resampledMean = Array.from(a).reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(resampledMean - mean)).toBeLessThan(0.2 * mean);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(Math.min(...summary.rmse));
    expect(Math.max(...a)).toBeLessThanOrEqual(Math.max(...summary.rmse));
  });

  it('returns the value of a lone set for every resample and rejects unusable options with typed errors', () => {
    expect(Array.from(bootstrapSetMeans([0.4], { resamples: 3, seed: 0 }))).toEqual([0.4, 0.4, 0.4]);
    const fails = (run: () => unknown) => expect(run).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    fails(() => bootstrapSetMeans([], { resamples: 3, seed: 0 }));
    fails(() => bootstrapSetMeans([1, 2], { resamples: 0, seed: 0 }));
    fails(() => bootstrapSetMeans([1, 2], { resamples: 2, seed: 0xffffffff }));
    fails(() => bootstrapSetMeans([1, Number.NaN], { resamples: 2, seed: 1 }));
  });
});
