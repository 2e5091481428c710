import { ScoringError } from './errors';
import { PreparedBinaryInput } from './prepared-binary-input';
import type { BinaryScoringInput } from './types';

/** The clipping constant of scikit-learn's `log_loss` for float64 predictions: `np.finfo(np.float64).eps`. */
export const LOG_LOSS_EPSILON = 2.220446049250313e-16;

/**
 * Weighted binary cross-entropy (log loss); lower is better.
 *
 * log_loss = −Σ w_i [y_i ln p_i + (1 − y_i) ln(1 − p_i)] / Σ w_i, with p_i = score_i clipped to [e, 1 − e],
 * e = 2.220446049250313e-16. As in scikit-learn, the pair (1 − p, p) is renormalised by its sum before the log.
 *
 * Reference: scikit-learn 1.2 `log_loss(y, p, sample_weight=w)` (default `eps="auto"`); matched to 1e-9 relative.
 *
 * Edge cases: a score outside [0, 1] → `ScoringError('OUT_OF_RANGE')` naming the row (scores must be
 * probabilities); p = 0 for a signal event costs −ln(e) ≈ 36.04, not Infinity; invalid input → `ScoringError`.
 *
 * @example
 * ```ts
 * logLoss({ labels: Uint8Array.of(1, 0), scores: Float64Array.of(0.8, 0.4) }); // → (−ln 0.8 − ln 0.6)/2 = 0.3669…
 * ```
 */
export function logLoss(input: BinaryScoringInput): number {
  return logLossOfPrepared(PreparedBinaryInput.prepare(input));
}

/** {@link logLoss} of a prepared input (or replica); the per-row terms are computed once and shared. */
export function logLossOfPrepared(prepared: PreparedBinaryInput): number {
  const { weights, n } = prepared;
  // A one-off evaluation sums the terms as it goes; replicas share the terms array, built once.
  if (!prepared.isReplica && !prepared.hasRowQuantity(TERMS_KEY)) {
    return weightedMeanOfTerms(prepared.labels, prepared.scores, weights);
  }
  const terms = prepared.rowQuantity(TERMS_KEY, () => logLossTerms(prepared.labels, prepared.scores));
  let loss = 0;
  if (weights === undefined) {
    for (let i = 0; i < n; i++) loss += terms[i] as number;
    return loss / n;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    loss += w * (terms[i] as number);
    total += w;
  }
  return loss / total;
}

const TERMS_KEY = 'log_loss_terms';
const HIGH = 1 - LOG_LOSS_EPSILON;

/**
 * Per-row terms −[y ln p + (1 − y) ln(1 − p)] of {@link logLoss}, computed as scikit-learn does.
 *
 * @throws {ScoringError} `OUT_OF_RANGE` for a score outside [0, 1].
 */
export function logLossTerms(labels: Uint8Array, scores: Float64Array): Float64Array {
  const n = labels.length;
  const terms = new Float64Array(n);
  for (let i = 0; i < n; i++) terms[i] = logLossTerm(labels[i] as number, scores[i] as number, i);
  return terms;
}

function weightedMeanOfTerms(labels: Uint8Array, scores: Float64Array, weights: Float64Array | undefined): number {
  const n = labels.length;
  let loss = 0;
  if (weights === undefined) {
    for (let i = 0; i < n; i++) loss += logLossTerm(labels[i] as number, scores[i] as number, i);
    return loss / n;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[i] as number;
    loss += w * logLossTerm(labels[i] as number, scores[i] as number, i);
    total += w;
  }
  return loss / total;
}

function logLossTerm(label: number, score: number, row: number): number {
  if (!(score >= 0 && score <= 1)) {
    throw new ScoringError('OUT_OF_RANGE', `Log loss needs probabilities: scores must be in [0, 1]; found ${score} at row ${row}.`, row);
  }
  const p = score < LOG_LOSS_EPSILON ? LOG_LOSS_EPSILON : score > HIGH ? HIGH : score;
  const q = 1 - p;
  return -Math.log((label === 1 ? p : q) / (q + p));
}
