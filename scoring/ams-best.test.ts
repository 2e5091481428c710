import { describe, expect, it } from 'vitest';
import { ams } from './ams';
import { amsBest, selectBestAmsCut } from './ams-best';
import { computeRoc } from './roc';

describe('amsBest', () => {
  it('takes the maximum over cuts score ≥ t and reports the winning cut', () => {
    const input = {
      labels: Uint8Array.of(1, 0, 1),
      scores: Float64Array.of(0.9, 0.5, 0.1),
      weights: Float64Array.of(30, 5, 2),
    };
    expect(amsBest(input)).toBe(ams(30, 0));
    expect(selectBestAmsCut(computeRoc(input))).toEqual({
      ams: ams(30, 0),
      threshold: 0.9,
      signalWeight: 30,
      backgroundWeight: 0,
    });
  });

  it('never splits a tie group: tied background comes along with tied signal', () => {
    // Alone, the signal event at 0.8 would give AMS(20, 0); its tied background partner must be included.
    const input = {
      labels: Uint8Array.of(1, 0, 0),
      scores: Float64Array.of(0.8, 0.8, 0.1),
      weights: Float64Array.of(20, 1000, 1),
    };
    expect(amsBest(input)).toBe(ams(20, 1000));
    expect(amsBest(input)).toBeLessThan(ams(20, 0));
  });

  it('can select everything when that is best', () => {
    const input = { labels: Uint8Array.of(0, 1, 1), scores: Float64Array.of(5, 1, 0), weights: Float64Array.of(1e-6, 50, 50) };
    expect(selectBestAmsCut(computeRoc(input)).threshold).toBe(0);
    expect(amsBest(input)).toBe(ams(100, 1e-6));
  });

  it('ignores rows of weight zero', () => {
    const withZero = amsBest({ labels: Uint8Array.of(0, 1, 0), scores: Float64Array.of(3, 2, 1), weights: Float64Array.of(0, 4, 7) });
    expect(withZero).toBe(ams(4, 0));
  });

  it('rejects single-class truth instead of returning NaN', () => {
    expect(() => amsBest({ labels: Uint8Array.of(0, 0), scores: Float64Array.of(1, 2) })).toThrow(
      expect.objectContaining({ code: 'SINGLE_CLASS' }),
    );
  });
});
