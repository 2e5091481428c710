import { describe, expect, it } from 'vitest';
import { LOG_LOSS_EPSILON, logLoss } from './log-loss';

describe('logLoss', () => {
  it('gives the TSDoc example: the mean of −ln p(true class)', () => {
    expect(logLoss({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(0.8, 0.4) })).toBeCloseTo((-Math.log(0.8) - Math.log(0.6)) / 2, 15);
  });

  it('weights each event and ignores zero-weight events', () => {
    const labels = Uint8Array.of(1, 0, 1);
    const scores = Float64Array.of(0.9, 0.2, 0.01);
    const weighted = logLoss({ labels, scores, weights: Float64Array.of(3, 1, 0) });
    expect(weighted).toBeCloseTo((-3 * Math.log(0.9) - Math.log(0.8)) / 4, 15);
  });

  it('clips at e = 2.220446049250313e-16 instead of returning Infinity for confident mistakes', () => {
    const loss = logLoss({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(0, 1) });
    expect(loss).toBeCloseTo(-Math.log(LOG_LOSS_EPSILON), 10);
    expect(Number.isFinite(loss)).toBe(true);
    expect(logLoss({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(1, 0) })).toBeLessThan(1e-15);
  });

  it('rejects a score outside [0, 1] with a typed error naming the row', () => {
    expect(() => logLoss({ labels: Uint8Array.of(1, 0, 0), scores: Float64Array.of(0.5, 1.5, -1) })).toThrow(
      expect.objectContaining({ code: 'OUT_OF_RANGE', row: 1, message: 'Log loss needs probabilities: scores must be in [0, 1]; found 1.5 at row 1.' }),
    );
  });
});
