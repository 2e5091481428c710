import { ScoringError } from './errors';
import { isReducedRocPoint, reducedRocPointIndices } from './reduced-roc';
import { computeRoc, type RocCurve } from './roc';
import type { BinaryScoringInput } from './types';

/** A point of the ROC chosen as working point, and the background rejection there. */
export type WorkingPoint = {
  /** True-positive rate (signal efficiency ε_S) of the point. */
  signalEfficiency: number;
  /** False-positive rate (background efficiency ε_B) of the point. */
  backgroundEfficiency: number;
  /** 1/ε_B; Infinity when ε_B = 0. */
  rejection: number;
};

/**
 * How a working point at a target signal efficiency ε is picked on a ROC curve that starts at (0, 0):
 * - `first-above`: the first point with TPR > ε (ATLAS top-tagging `calc.py`: `np.argmax(tpr > ε)`);
 * - `nearest`: the first point with the smallest |TPR − ε| (LorentzNet/ParT scripts: `np.argmin(abs(tpr − ε))`).
 * `curve`: `reduced` = scikit-learn's `drop_intermediate=True` (its default), `full` = every distinct score.
 */
export type WorkingPointRule = { curve: 'reduced' | 'full'; rule: 'first-above' | 'nearest' };

/**
 * Background rejection 1/ε_B at signal efficiency ε, ATLAS convention (metric `rejection_at_<ε>`).
 *
 * On the reduced ROC (scikit-learn `roc_curve` with its default `drop_intermediate=True`, weighted, curve
 * starting at (0, 0)), take the first point with TPR > ε and return 1/FPR there:
 * `1 / fpr[np.argmax(tpr > ε)]`.
 *
 * Reference: ATLAS top-tagging open data `calc.py` (K. Greif, 2024) with `sklearn.metrics.roc_curve(labels, preds,
 * sample_weight=weights)`; matched to 1e-9 relative against scikit-learn 1.2 in the tests.
 *
 * Edge cases: FPR = 0 at the working point → Infinity (JSON: `null` plus the id in `"unbounded"`); ε outside
 * (0, 1) → `ScoringError('INVALID_PARAMETER')`; invalid input → `ScoringError` (see `validateBinaryInput`).
 *
 * @example
 * ```ts
 * backgroundRejection({ labels: Uint8Array.of(1, 0, 1, 0, 1, 0), scores: Float64Array.of(6, 5, 4, 3, 2, 1) }, 0.5);
 * // → 3: the first point with TPR > 0.5 is score ≥ 4 (TPR 2/3, FPR 1/3)
 * ```
 */
export function backgroundRejection(input: BinaryScoringInput, signalEfficiency: number): number {
  return backgroundRejectionOfCurve(computeRoc(input), signalEfficiency);
}

/**
 * {@link backgroundRejection} on an already computed ROC; pass `reducedIndices` (from `reducedRocPointIndices`)
 * when several working points share one reduced curve.
 */
export function backgroundRejectionOfCurve(roc: RocCurve, signalEfficiency: number, reducedIndices?: Uint32Array): number {
  if (reducedIndices !== undefined) {
    return workingPointOfCurve(roc, signalEfficiency, { curve: 'reduced', rule: 'first-above' }, reducedIndices).rejection;
  }
  assertSignalEfficiency(signalEfficiency);
  // TPR never decreases along the curve, so the first reduced point with TPR > ε is the first kept point at or
  // after the first full-curve point with TPR > ε: a binary search, then a few local checks (no reduced curve).
  const tp = roc.truePositiveWeight;
  const totalTp = roc.totalSignalWeight;
  let lo = 0;
  let hi = tp.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tp[mid] as number) / totalTp > signalEfficiency) hi = mid;
    else lo = mid + 1;
  }
  let k = lo;
  while (k < tp.length && !isReducedRocPoint(roc, k)) k++;
  if (k === tp.length) return Infinity; // no point above ε: numpy's argmax of all-false picks (0, 0)
  return 1 / ((roc.falsePositiveWeight[k] as number) / roc.totalBackgroundWeight);
}

/**
 * The working point at signal efficiency ε under either convention of {@link WorkingPointRule}, for comparisons
 * between papers (`first-above` on the `reduced` curve is the registry's `rejection_at_<ε>`).
 *
 * @throws {ScoringError} `INVALID_PARAMETER` when ε is not in (0, 1).
 * @example
 * ```ts
 * workingPointOfCurve(roc, 0.3, { curve: 'full', rule: 'nearest' }); // → { signalEfficiency, backgroundEfficiency, rejection }
 * ```
 */
export function workingPointOfCurve(
  roc: RocCurve,
  signalEfficiency: number,
  { curve, rule }: WorkingPointRule,
  reducedIndices?: Uint32Array,
): WorkingPoint {
  assertSignalEfficiency(signalEfficiency);
  const tp = roc.truePositiveWeight;
  const fp = roc.falsePositiveWeight;
  const totalTp = roc.totalSignalWeight;
  const totalFp = roc.totalBackgroundWeight;
  const points = curve === 'full' ? undefined : (reducedIndices ?? reducedRocPointIndices(roc));
  const count = points === undefined ? tp.length : points.length;
  // Position 0 is the prepended (0, 0); position q ≥ 1 is ROC point pointAt(q − 1).
  const pointAt = points === undefined ? (q: number) => q : (q: number) => points[q] as number;
  const tprAt = (position: number) => (position === 0 ? 0 : (tp[pointAt(position - 1)] as number) / totalTp);

  let chosen: number;
  if (rule === 'first-above') {
    // TPR is non-decreasing along the curve: binary search for the first position with TPR > ε.
    let lo = 0;
    let hi = count + 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (tprAt(mid) > signalEfficiency) hi = mid;
      else lo = mid + 1;
    }
    chosen = lo === count + 1 ? 0 : lo; // np.argmax of an all-false array is 0
  } else {
    chosen = 0;
    let best = Math.abs(tprAt(0) - signalEfficiency);
    for (let q = 1; q <= count; q++) {
      const distance = Math.abs(tprAt(q) - signalEfficiency);
      if (distance < best) {
        best = distance;
        chosen = q;
      }
    }
  }
  const fpr = chosen === 0 ? 0 : (fp[pointAt(chosen - 1)] as number) / totalFp;
  return { signalEfficiency: tprAt(chosen), backgroundEfficiency: fpr, rejection: 1 / fpr };
}

/** @throws {ScoringError} `INVALID_PARAMETER` unless 0 < ε < 1. */
export function assertSignalEfficiency(signalEfficiency: number): void {
  if (!(signalEfficiency > 0 && signalEfficiency < 1)) {
    throw new ScoringError(
      'INVALID_PARAMETER',
      `The target signal efficiency must be a number strictly between 0 and 1; found ${signalEfficiency}.`,
    );
  }
}
