import { describe, expect, it } from 'vitest';
import { isReducedRocPoint, reducedRocPointIndices } from './reduced-roc';
import { computeRoc } from './roc';

describe('reducedRocPointIndices (scikit-learn drop_intermediate)', () => {
  it('gives the TSDoc example: drops a point collinear in both cumulative weights', () => {
    const roc = computeRoc({ labels: Uint8Array.of(1, 0, 0, 1), scores: Float64Array.of(4, 3, 2, 1) });
    expect(Array.from(roc.falsePositiveWeight)).toEqual([0, 1, 2, 2]);
    expect(Array.from(roc.truePositiveWeight)).toEqual([1, 1, 1, 2]);
    expect(Array.from(reducedRocPointIndices(roc))).toEqual([0, 2, 3]);
  });

  it('keeps corners of an alternating staircase', () => {
    const roc = computeRoc({ labels: Uint8Array.of(1, 0, 1, 0, 1, 0), scores: Float64Array.of(6, 5, 4, 3, 2, 1) });
    expect(Array.from(reducedRocPointIndices(roc))).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('keeps everything with two points or fewer (scikit-learn: len(fps) > 2)', () => {
    expect(Array.from(reducedRocPointIndices(computeRoc({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(2, 1) })))).toEqual([0, 1]);
    expect(Array.from(reducedRocPointIndices(computeRoc({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(1, 1) })))).toEqual([0]);
  });

  it('keeps the first and the last point of a long collinear run', () => {
    const n = 50;
    const roc = computeRoc({
      labels: Uint8Array.from({ length: n }, (_, i) => (i === n - 1 ? 1 : 0)),
      scores: Float64Array.from({ length: n }, (_, i) => n - i),
    });
    expect(Array.from(reducedRocPointIndices(roc))).toEqual([0, n - 2, n - 1]);
  });
});

describe('isReducedRocPoint', () => {
  it('agrees point by point with reducedRocPointIndices', () => {
    const n = 400;
    const roc = computeRoc({
      labels: Uint8Array.from({ length: n }, (_, i) => (i * 7) % 5 === 0 ? 1 : 0),
      scores: Float64Array.from({ length: n }, (_, i) => Math.floor(i / 3) + ((i * 13) % 7 === 0 ? 0.5 : 0)),
      weights: Float64Array.from({ length: n }, (_, i) => [0.1, 0.3, 0.7][i % 3] as number),
    });
    const kept = new Set(reducedRocPointIndices(roc));
    for (let k = 0; k < roc.thresholds.length; k++) expect(isReducedRocPoint(roc, k)).toBe(kept.has(k));
  });
});
