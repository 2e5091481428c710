import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy';

describe('accuracy', () => {
  it('gives the TSDoc example: weighted fraction correct at threshold 0.5', () => {
    const input = { labels: Uint8Array.of(1, 0, 1), scores: Float64Array.of(0.9, 0.6, 0.2), weights: Float64Array.of(1, 1, 2) };
    expect(accuracy(input)).toBe(0.25);
  });

  it('selects score ≥ threshold (a score equal to the threshold is class 1)', () => {
    const input = { labels: Uint8Array.of(1, 0), scores: Float64Array.of(0.5, 0.49) };
    expect(accuracy(input)).toBe(1);
    expect(accuracy(input, { threshold: 0.51 })).toBe(0.5);
    expect(accuracy({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(-3, -7) }, { threshold: -5 })).toBe(1);
  });

  it('uses a submitted class column instead of the threshold', () => {
    const input = { labels: Uint8Array.of(1, 0, 1, 0), scores: Float64Array.of(0.9, 0.1, 0.9, 0.1) };
    expect(accuracy(input, { classes: Uint8Array.of(0, 1, 1, 0) })).toBe(0.5);
  });

  it('rejects a class column with a value other than 0 or 1, naming the row', () => {
    const input = { labels: Uint8Array.of(1, 0), scores: Float64Array.of(0.9, 0.1) };
    expect(() => accuracy(input, { classes: Uint8Array.of(1, 2) })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER', row: 1 }),
    );
  });
});
