import { describe, expect, it } from 'vitest';
import { interpolatedBackgroundRejection } from './background-rejection-interpolated';

describe('interpolatedBackgroundRejection (1 / np.interp(ε, tpr, fpr) on the full ROC)', () => {
  it('gives the TSDoc example: linear interpolation across a tie group', () => {
    const input = { labels: Uint8Array.of(1, 0, 1, 0), scores: Float64Array.of(3, 2, 2, 1) };
    expect(interpolatedBackgroundRejection(input, 0.75)).toBe(4);
  });

  it('takes the FPR of the last point with TPR exactly ε (numpy: the rightmost equal x)', () => {
    // TPR stays 0.5 while FPR goes 0 → 0.5 → 1: np.interp(0.5, …) takes the last of the equal x, FPR 1.
    const input = { labels: Uint8Array.of(1, 0, 0, 1), scores: Float64Array.of(4, 3, 2, 1) };
    expect(interpolatedBackgroundRejection(input, 0.5)).toBe(1);
  });

  it('is Infinity when the interpolated background efficiency is 0', () => {
    const input = { labels: Uint8Array.of(1, 1, 0, 0), scores: Float64Array.of(4, 3, 2, 1) };
    expect(interpolatedBackgroundRejection(input, 0.3)).toBe(Infinity);
    expect(interpolatedBackgroundRejection(input, 0.999)).toBe(Infinity);
  });

  it('is continuous in ε: nearby efficiencies give nearby rejections', () => {
    const labels = Uint8Array.from({ length: 200 }, (_, i) => (i % 3 === 0 ? 1 : 0));
    const scores = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i * 1.7) + (i % 3 === 0 ? 0.5 : 0));
    const a = interpolatedBackgroundRejection({ labels, scores }, 0.5);
    const b = interpolatedBackgroundRejection({ labels, scores }, 0.5 + 1e-9);
    expect(Math.abs(a - b) / a).toBeLessThan(1e-6);
  });

  it('rejects ε outside (0, 1) with a typed error', () => {
    expect(() => interpolatedBackgroundRejection({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(1, 0) }, 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER' }),
    );
  });
});
