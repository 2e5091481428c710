import { resolveBinaryParams, type ResolvedBinaryParams } from './binary-params';
import { PreparedBinaryInput } from './prepared-binary-input';
import { selectedYields } from './selection';
import type { BinaryMetricParams, BinaryScoringInput } from './types';

/**
 * Weighted accuracy of a fixed selection: the weighted fraction of events whose class equals their label.
 *
 * accuracy = Σ w_i·1[class_i = y_i] / Σ w_i, class_i = the submitted class column when given, else
 * 1[score_i ≥ threshold] (default threshold 0.5).
 *
 * Reference: scikit-learn 1.2 `accuracy_score(y, class, sample_weight=w)`; top-tagging papers quote it at
 * threshold 0.5 (ATLAS `calc.py` "ACC").
 *
 * Edge cases: every event weighs 0 in one class is rejected by validation (`ZERO_WEIGHT`); a class column of
 * another length or with values other than 0/1, or a non-finite threshold → `ScoringError('INVALID_PARAMETER')`.
 *
 * @example
 * ```ts
 * accuracy({ labels: Uint8Array.of(1, 0, 1), scores: Float64Array.of(0.9, 0.6, 0.2), weights: Float64Array.of(1, 1, 2) });
 * // → 0.25: only the first event is classified correctly at threshold 0.5
 * ```
 */
export function accuracy(input: BinaryScoringInput, params?: BinaryMetricParams): number {
  const prepared = PreparedBinaryInput.prepare(input);
  return accuracyOfPrepared(prepared, resolveBinaryParams(params, prepared.n));
}

/** {@link accuracy} of a prepared input (or replica); shares its one pass with `ams` and `significance_asimov`. */
export function accuracyOfPrepared(prepared: PreparedBinaryInput, params: ResolvedBinaryParams): number {
  const { correctWeight, totalWeight } = selectedYields(prepared, params);
  return correctWeight / totalWeight;
}
