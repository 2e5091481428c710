import { describe, expect, it } from 'vitest';
import { backgroundRejection, backgroundRejectionOfCurve, workingPointOfCurve } from './background-rejection';
import { reducedRocPointIndices } from './reduced-roc';
import { computeRoc } from './roc';

describe('backgroundRejection (ATLAS calc.py: first point with TPR > ε on the reduced ROC)', () => {
  it('gives the TSDoc example: 1/FPR at the first point strictly above ε', () => {
    const input = { labels: Uint8Array.of(1, 0, 1, 0, 1, 0), scores: Float64Array.of(6, 5, 4, 3, 2, 1) };
    expect(backgroundRejection(input, 0.5)).toBe(3);
    // TPR = 1/3 at the first point: ε = 1/3 itself is not "above", so the point with TPR 2/3 is taken.
    expect(backgroundRejection(input, 1 / 3)).toBe(3);
  });

  it('is Infinity, not NaN or an error, when no background passes the working point', () => {
    const input = { labels: Uint8Array.of(1, 1, 0, 0), scores: Float64Array.of(0.9, 0.8, 0.2, 0.1) };
    expect(backgroundRejection(input, 0.3)).toBe(Infinity);
    expect(backgroundRejection(input, 0.8)).toBe(Infinity);
  });

  it('works on the reduced curve, where a collinear point cannot be the working point', () => {
    // Points (FPR, TPR): (0, .5) (.5, .5) (1, .5) (1, 1). The middle point is collinear and dropped, so at
    // ε = 0.4 both rules pick (0, .5), and at ε = 0.5 the first point above is (1, 1).
    const input = { labels: Uint8Array.of(1, 0, 0, 1), scores: Float64Array.of(4, 3, 2, 1) };
    const roc = computeRoc(input);
    expect(Array.from(reducedRocPointIndices(roc))).toEqual([0, 2, 3]);
    expect(backgroundRejection(input, 0.5)).toBe(1);
    expect(workingPointOfCurve(roc, 0.5, { curve: 'full', rule: 'first-above' }).rejection).toBe(1);
  });

  it('treats a tie group as one step, never splitting it', () => {
    // Signal and background tied at 0.5: the working point at ε = 0.5 jumps over the whole tie.
    const input = { labels: Uint8Array.of(1, 1, 0, 0), scores: Float64Array.of(0.9, 0.5, 0.5, 0.1) };
    expect(backgroundRejection(input, 0.5)).toBe(2);
  });

  it('uses the weights: rejection of weighted background', () => {
    const input = {
      labels: Uint8Array.of(1, 0, 1, 0),
      scores: Float64Array.of(4, 3, 2, 1),
      weights: Float64Array.of(1, 1, 1, 3),
    };
    // TPR 1 > 0.6 at score ≥ 2: FPR = 1/4.
    expect(backgroundRejection(input, 0.6)).toBe(4);
  });

  it('reuses a reduced curve passed in, with the same result', () => {
    const input = { labels: Uint8Array.of(1, 0, 1, 0, 0, 1), scores: Float64Array.of(0.9, 0.7, 0.6, 0.4, 0.3, 0.2) };
    const roc = computeRoc(input);
    const reduced = reducedRocPointIndices(roc);
    for (const e of [0.2, 0.5, 0.9]) expect(backgroundRejectionOfCurve(roc, e, reduced)).toBe(backgroundRejection(input, e));
  });

  it('rejects ε outside (0, 1) with a typed error', () => {
    const input = { labels: Uint8Array.of(1, 0), scores: Float64Array.of(1, 0) };
    for (const e of [0, 1, -0.1, Number.NaN]) {
      expect(() => backgroundRejection(input, e)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    }
  });
});

describe('workingPointOfCurve (conventions of other papers)', () => {
  it('nearest: the first point with the smallest |TPR − ε| (argmin), including the (0, 0) start', () => {
    const input = { labels: Uint8Array.of(1, 0, 1, 0, 1, 1), scores: Float64Array.of(6, 5, 4, 3, 2, 1) };
    const roc = computeRoc(input);
    const point = workingPointOfCurve(roc, 0.3, { curve: 'full', rule: 'nearest' });
    expect(point.signalEfficiency).toBe(0.25);
    expect(point.backgroundEfficiency).toBe(0);
    expect(point.rejection).toBe(Infinity);
    expect(workingPointOfCurve(roc, 0.1, { curve: 'full', rule: 'nearest' }).signalEfficiency).toBe(0);
  });
});
