import { describe, expect, it } from 'vitest';
import { ScoringError } from './errors';
import { rocAuc } from './roc-auc';

/** O(n²) definition: P(signal outscores background), ties ½, both drawn by weight. */
function pairwiseAuc(labels: Uint8Array, scores: Float64Array, weights: Float64Array): number {
  let wins = 0;
  let signal = 0;
  let background = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === 1) signal += weights[i] as number;
    else background += weights[i] as number;
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      const si = scores[i] as number;
      const sj = scores[j] as number;
      const pair = (weights[i] as number) * (weights[j] as number);
      if (si > sj) wins += pair;
      else if (si === sj) wins += pair / 2;
    }
  }
  return wins / (signal * background);
}

describe('rocAuc', () => {
  it('computes the AUC of a small input by the trapezoid rule', () => {
    expect(rocAuc({ labels: Uint8Array.of(1, 0, 1, 0), scores: Float64Array.of(0.9, 0.8, 0.4, 0.1) })).toBe(0.75);
  });

  it('counts a tied signal/background pair as one half', () => {
    expect(rocAuc({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(0.3, 0.3) })).toBe(0.5);
    expect(rocAuc({ labels: Uint8Array.of(1, 0, 1, 0), scores: Float64Array.of(2, 1, 1, 0) })).toBe(0.875);
  });

  it('returns 0.5 when all scores are equal, whatever the weights', () => {
    const labels = Uint8Array.of(1, 0, 0, 1, 0);
    expect(rocAuc({ labels, scores: new Float64Array(5).fill(7), weights: Float64Array.of(3, 1, 9, 0.2, 4) })).toBe(0.5);
  });

  it('ignores rows of weight zero', () => {
    const withZero = rocAuc({
      labels: Uint8Array.of(1, 0, 0, 1, 0),
      scores: Float64Array.of(0.9, 0.95, 0.2, 0.6, 0.4),
      weights: Float64Array.of(1, 0, 1, 2, 1),
    });
    const without = rocAuc({
      labels: Uint8Array.of(1, 0, 1, 0),
      scores: Float64Array.of(0.9, 0.2, 0.6, 0.4),
      weights: Float64Array.of(1, 1, 2, 1),
    });
    expect(withZero).toBe(without);
    expect(withZero).toBe(1);
  });

  it('is 0 for a perfectly inverted ranking and 1 for a perfect one', () => {
    const labels = Uint8Array.of(1, 1, 0, 0);
    expect(rocAuc({ labels, scores: Float64Array.of(1, 2, 3, 4) })).toBe(0);
    expect(rocAuc({ labels, scores: Float64Array.of(4, 3, 2, 1) })).toBe(1);
  });

  it('agrees with the pairwise definition on a weighted input large enough for the radix sort', () => {
    const n = 5000;
    const labels = new Uint8Array(n);
    const scores = new Float64Array(n);
    const weights = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      labels[i] = (i * 7919) % 3 === 0 ? 1 : 0;
      scores[i] = ((i * 104729) % 997) / 10 - 50 + (labels[i] as number) * 5;
      weights[i] = ((i * 31) % 17) / 4;
    }
    const expected = pairwiseAuc(labels, scores, weights);
    expect(rocAuc({ labels, scores, weights })).toBeCloseTo(expected, 12);
  });

  it('rejects single-class truth instead of returning NaN', () => {
    expect(() => rocAuc({ labels: Uint8Array.of(1, 1), scores: Float64Array.of(0.2, 0.8) })).toThrow(ScoringError);
    expect(() => rocAuc({ labels: Uint8Array.of(1, 1), scores: Float64Array.of(0.2, 0.8) })).toThrow(/only signal/);
  });

  it('rejects a one-row input with SINGLE_CLASS', () => {
    expect(() => rocAuc({ labels: Uint8Array.of(0), scores: Float64Array.of(0.2) })).toThrow(
      expect.objectContaining({ code: 'SINGLE_CLASS' }),
    );
  });

  it('rejects mismatched lengths', () => {
    expect(() => rocAuc({ labels: Uint8Array.of(0, 1, 1), scores: Float64Array.of(0.2, 0.3) })).toThrow(
      expect.objectContaining({ code: 'LENGTH_MISMATCH' }),
    );
  });

  it('rejects a NaN score, naming its row', () => {
    expect(() => rocAuc({ labels: Uint8Array.of(0, 1, 1), scores: Float64Array.of(0.2, 0.3, Number.NaN) })).toThrow(
      expect.objectContaining({ code: 'NON_FINITE', row: 2 }),
    );
  });
});
