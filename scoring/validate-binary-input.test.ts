import { describe, expect, it } from 'vitest';
import { ScoringError } from './errors';
import { validateBinaryInput } from './validate-binary-input';

function scoringErrorOf(run: () => unknown): ScoringError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScoringError) return error;
    throw error;
  }
  throw new Error('expected a ScoringError, nothing was thrown');
}

const labels = Uint8Array.of(1, 0, 1, 0);
const scores = Float64Array.of(0.9, 0.1, 0.4, 0.3);

describe('validateBinaryInput', () => {
  it('returns the weighted class totals of a valid input', () => {
    expect(validateBinaryInput({ labels, scores, weights: Float64Array.of(2, 3, 0.5, 0) })).toEqual({
      n: 4,
      signalWeight: 2.5,
      backgroundWeight: 3,
    });
  });

  it('rejects scores of another length, naming both lengths', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels, scores: Float64Array.of(0.1, 0.2) }));
    expect(error.code).toBe('LENGTH_MISMATCH');
    expect(error.message).toContain('expected 4 scores');
    expect(error.message).toContain('found 2');
  });

  it('rejects weights of another length', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels, scores, weights: new Float64Array(5) }));
    expect(error.code).toBe('LENGTH_MISMATCH');
    expect(error.message).toContain('found 5');
  });

  it('rejects an empty input instead of returning NaN', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels: new Uint8Array(0), scores: new Float64Array(0) }));
    expect(error.code).toBe('EMPTY');
  });

  it('rejects a label other than 0 or 1, naming its row', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels: Uint8Array.of(1, 0, 2, 0), scores }));
    expect(error.code).toBe('INVALID_LABEL');
    expect(error.row).toBe(2);
    expect(error.message).toContain('found 2 at row 2');
  });

  it('rejects a NaN score, naming the first offending row', () => {
    const error = scoringErrorOf(() =>
      validateBinaryInput({ labels, scores: Float64Array.of(0.9, 0.1, Number.NaN, Number.NaN) }),
    );
    expect(error.code).toBe('NON_FINITE');
    expect(error.row).toBe(2);
    expect(error.message).toBe('Scores must be finite numbers; found NaN at row 2.');
  });

  it('rejects an infinite weight, naming its row', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels, scores, weights: Float64Array.of(1, 1, 1, Infinity) }));
    expect(error.code).toBe('NON_FINITE');
    expect(error.row).toBe(3);
  });

  it('rejects a negative weight, naming its row', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels, scores, weights: Float64Array.of(1, -0.5, 1, 1) }));
    expect(error.code).toBe('NEGATIVE_WEIGHT');
    expect(error.row).toBe(1);
    expect(error.message).toContain('-0.5');
  });

  it('rejects single-class truth instead of returning NaN', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels: Uint8Array.of(0, 0, 0), scores: Float64Array.of(1, 2, 3) }));
    expect(error.code).toBe('SINGLE_CLASS');
    expect(error.message).toContain('found only background (0)');
  });

  it('rejects a one-row input as single-class', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels: Uint8Array.of(1), scores: Float64Array.of(0.5) }));
    expect(error.code).toBe('SINGLE_CLASS');
    expect(error.message).toContain('signal (1)');
  });

  it('rejects a class whose weights are all zero', () => {
    const error = scoringErrorOf(() => validateBinaryInput({ labels, scores, weights: Float64Array.of(0, 1, 0, 1) }));
    expect(error.code).toBe('ZERO_WEIGHT');
    expect(error.message).toContain('signal (label 1)');
  });
});
