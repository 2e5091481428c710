import { computeRoc, type RocCurve } from './roc';
import type { BinaryScoringInput } from './types';

/**
 * Weighted area under the ROC curve.
 *
 * AUC = Σ_k (FPR_k − FPR_{k−1}) · (TPR_k + TPR_{k−1}) / 2 over the ROC points k = 1…m (one per distinct score,
 * scores descending) with (FPR_0, TPR_0) = (0, 0); TPR and FPR are the weighted fractions of signal and
 * background with score ≥ threshold. Tie groups are one trapezoid step, so tied signal/background pairs count
 * one half. Equals the probability that a random signal event (drawn by weight) outscores a random background
 * event, ties counting ½.
 *
 * Reference: scikit-learn 1.2 `roc_auc_score(y, s, sample_weight=w)` (matched to 1e-9 relative in the tests).
 *
 * Edge cases: all scores equal → 0.5; invalid input (single class, zero class weight, non-finite or
 * negative values, length mismatch, empty) → `ScoringError`, never NaN.
 *
 * @example
 * ```ts
 * rocAuc({ labels: Uint8Array.of(1, 0, 1, 0), scores: Float64Array.of(0.9, 0.8, 0.4, 0.1) }); // → 0.75
 * ```
 */
export function rocAuc(input: BinaryScoringInput): number {
  return rocAucOfCurve(computeRoc(input));
}

/**
 * {@link rocAuc} of an already computed ROC (see `computeRoc`), so several metrics can share one sort.
 *
 * @example
 * ```ts
 * rocAucOfCurve(computeRoc(input)) === rocAuc(input);
 * ```
 */
export function rocAucOfCurve(roc: RocCurve): number {
  const { truePositiveWeight, falsePositiveWeight, totalSignalWeight, totalBackgroundWeight } = roc;
  let area = 0;
  let previousTp = 0;
  let previousFp = 0;
  for (let k = 0; k < truePositiveWeight.length; k++) {
    const tp = truePositiveWeight[k] as number;
    const fp = falsePositiveWeight[k] as number;
    area += (fp - previousFp) * (tp + previousTp);
    previousTp = tp;
    previousFp = fp;
  }
  // Areas are accumulated in weight² units and normalised once at the end.
  return area / (2 * totalSignalWeight * totalBackgroundWeight);
}
