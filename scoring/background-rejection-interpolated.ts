import { assertSignalEfficiency } from './background-rejection';
import { computeRoc, type RocCurve } from './roc';
import type { BinaryScoringInput } from './types';

/**
 * Background rejection at signal efficiency ε with the background efficiency interpolated linearly on the full
 * ROC (metric `rejection_interp_at_<ε>`): `1 / np.interp(ε, tpr, fpr)`.
 *
 * On the full weighted ROC (one point per distinct score, starting at (0, 0)): j = the last point with TPR ≤ ε;
 * if TPR_j = ε then ε_B = FPR_j, else ε_B = slope·(ε − TPR_j) + FPR_j with
 * slope = (FPR_{j+1} − FPR_j)/(TPR_{j+1} − TPR_j), evaluated in that order as numpy's `interp` does; value 1/ε_B.
 *
 * Reference: `numpy.interp` on `sklearn.metrics.roc_curve(y, s, sample_weight=w, drop_intermediate=False)`;
 * matched to 1e-9 relative in the tests. Unlike `rejection_at_<ε>` it is a continuous function of the scores.
 *
 * Edge cases: ε_B = 0 at ε → Infinity; ε outside (0, 1) → `ScoringError('INVALID_PARAMETER')`; invalid input →
 * `ScoringError`.
 *
 * @example
 * ```ts
 * interpolatedBackgroundRejection({ labels: Uint8Array.of(1, 0, 1, 0), scores: Float64Array.of(3, 2, 2, 1) }, 0.75);
 * // → 4: (TPR, FPR) goes from (0.5, 0) to (1, 0.5) across the tie at 2, so ε_B(0.75) = 0.25
 * ```
 */
export function interpolatedBackgroundRejection(input: BinaryScoringInput, signalEfficiency: number): number {
  return interpolatedBackgroundRejectionOfCurve(computeRoc(input), signalEfficiency);
}

/** {@link interpolatedBackgroundRejection} on an already computed ROC. */
export function interpolatedBackgroundRejectionOfCurve(roc: RocCurve, signalEfficiency: number): number {
  assertSignalEfficiency(signalEfficiency);
  const tp = roc.truePositiveWeight;
  const fp = roc.falsePositiveWeight;
  const totalTp = roc.totalSignalWeight;
  const totalFp = roc.totalBackgroundWeight;
  const m = tp.length;
  // Position 0 is (0, 0); position q ≥ 1 is ROC point q − 1.
  const tprAt = (q: number) => (q === 0 ? 0 : (tp[q - 1] as number) / totalTp);
  const fprAt = (q: number) => (q === 0 ? 0 : (fp[q - 1] as number) / totalFp);
  // Last position with TPR ≤ ε (TPR is non-decreasing; position 0 has TPR 0 ≤ ε).
  let lo = 0;
  let hi = m + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tprAt(mid) <= signalEfficiency) lo = mid + 1;
    else hi = mid;
  }
  const j = lo - 1;
  const x = tprAt(j);
  let backgroundEfficiency: number;
  if (j === m || x === signalEfficiency) {
    backgroundEfficiency = fprAt(j);
  } else {
    const slope = (fprAt(j + 1) - fprAt(j)) / (tprAt(j + 1) - x);
    backgroundEfficiency = slope * (signalEfficiency - x) + fprAt(j);
  }
  return 1 / backgroundEfficiency;
}
