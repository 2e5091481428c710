import { ScoringError } from './errors';
import type { BinaryScoringInput } from './types';

/** Total weight per class of an input that passed {@link validateBinaryInput}. */
export type BinaryClassTotals = {
  /** Number of events. */
  n: number;
  /** Σ w over label 1 (signal). */
  signalWeight: number;
  /** Σ w over label 0 (background). */
  backgroundWeight: number;
};

/**
 * Checks that a binary input can be scored and returns the class totals.
 *
 * Checks, in this order, stopping at the first failure: arrays of equal length (`LENGTH_MISMATCH`), at least
 * one event (`EMPTY`), labels 0 or 1 (`INVALID_LABEL`), finite scores (`NON_FINITE`), finite (`NON_FINITE`) and
 * non-negative (`NEGATIVE_WEIGHT`) weights, both classes present (`SINGLE_CLASS`), and a positive total weight
 * in each class (`ZERO_WEIGHT`). Row-level errors carry the 0-based index of the first offending element.
 *
 * @throws {ScoringError} with one of the codes above.
 * @example
 * ```ts
 * validateBinaryInput({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(0.9, 0.1) });
 * // → { n: 2, signalWeight: 1, backgroundWeight: 1 }
 * ```
 */
export function validateBinaryInput(input: BinaryScoringInput): BinaryClassTotals {
  const { labels, scores, weights } = input;
  const n = labels.length;
  if (scores.length !== n) {
    throw new ScoringError(
      'LENGTH_MISMATCH',
      `Scores and labels must have the same length; expected ${n} scores (one per label), found ${scores.length}.`,
    );
  }
  if (weights !== undefined && weights.length !== n) {
    throw new ScoringError(
      'LENGTH_MISMATCH',
      `Weights and labels must have the same length; expected ${n} weights (one per label), found ${weights.length}.`,
    );
  }
  if (n === 0) {
    throw new ScoringError('EMPTY', 'Cannot score an empty input; expected at least one event, found 0.');
  }

  let signalWeight = 0;
  let backgroundWeight = 0;
  let signalCount = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    if (label > 1) {
      throw new ScoringError('INVALID_LABEL', `Labels must be 0 (background) or 1 (signal); found ${label} at row ${i}.`, i);
    }
    const score = scores[i] as number;
    if (!Number.isFinite(score)) {
      throw new ScoringError('NON_FINITE', `Scores must be finite numbers; found ${score} at row ${i}.`, i);
    }
    const weight = weights === undefined ? 1 : (weights[i] as number);
    if (!Number.isFinite(weight)) {
      throw new ScoringError('NON_FINITE', `Weights must be finite numbers; found ${weight} at row ${i}.`, i);
    }
    if (weight < 0) {
      throw new ScoringError('NEGATIVE_WEIGHT', `Weights must be non-negative; found ${weight} at row ${i}.`, i);
    }
    if (label === 1) {
      signalWeight += weight;
      signalCount++;
    } else {
      backgroundWeight += weight;
    }
  }

  if (signalCount === 0 || signalCount === n) {
    const present = signalCount === 0 ? 'background (0)' : 'signal (1)';
    throw new ScoringError(
      'SINGLE_CLASS',
      `Both classes must be present to score a binary task; expected labels 0 and 1, found only ${present} in ${n} events.`,
    );
  }
  if (signalWeight === 0 || backgroundWeight === 0) {
    const which = signalWeight === 0 ? 'signal (label 1)' : 'background (label 0)';
    throw new ScoringError(
      'ZERO_WEIGHT',
      `Each class must have a positive total weight; expected Σw > 0 for ${which}, found 0.`,
    );
  }
  return { n, signalWeight, backgroundWeight };
}
