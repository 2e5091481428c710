import type { RocCurve } from './roc';

/**
 * Indices of the ROC points kept by scikit-learn's `roc_curve(..., drop_intermediate=True)`: the *reduced* curve.
 *
 * Rule (scikit-learn 1.2 `roc_curve`, applied to the full curve before (0, 0) is prepended): keep the first and
 * the last point, and every point k where the second difference of the cumulative false-positive weight or of
 * the cumulative true-positive weight is non-zero, computed as numpy does,
 * (fp[k+1] − fp[k]) − (fp[k] − fp[k−1]) ≠ 0 (likewise for tp). Points collinear in both are dropped. With two
 * points or fewer nothing is dropped.
 *
 * The cumulative weights of {@link RocCurve} are bit-identical to scikit-learn's (see `buildRocFromSortedRows`),
 * so the kept points are too. Reference: ATLAS top-tagging `calc.py` evaluates working points on this curve.
 *
 * Edge cases: a one-point curve (all scores equal) → [0].
 *
 * @example
 * ```ts
 * // fp = [0, 1, 2, 2], tp = [1, 1, 1, 2]: point 1 lies on the segment from point 0 to point 2.
 * reducedRocPointIndices(roc); // → Uint32Array [0, 2, 3]
 * ```
 */
export function reducedRocPointIndices(roc: RocCurve, buffer?: Uint32Array): Uint32Array {
  const tp = roc.truePositiveWeight;
  const fp = roc.falsePositiveWeight;
  const m = tp.length;
  const kept = buffer !== undefined && buffer.length >= m ? buffer : new Uint32Array(m);
  if (m <= 2) {
    for (let k = 0; k < m; k++) kept[k] = k;
    return kept.subarray(0, m);
  }
  let count = 0;
  kept[count++] = 0;
  let previousFpStep = (fp[1] as number) - (fp[0] as number);
  let previousTpStep = (tp[1] as number) - (tp[0] as number);
  for (let k = 1; k < m - 1; k++) {
    const fpStep = (fp[k + 1] as number) - (fp[k] as number);
    const tpStep = (tp[k + 1] as number) - (tp[k] as number);
    if (fpStep - previousFpStep !== 0 || tpStep - previousTpStep !== 0) kept[count++] = k;
    previousFpStep = fpStep;
    previousTpStep = tpStep;
  }
  kept[count++] = m - 1;
  return kept.subarray(0, count);
}

/**
 * Whether ROC point k is kept on the reduced curve (the rule of {@link reducedRocPointIndices}, evaluated locally
 * from points k − 1, k, k + 1): O(1), for callers that need one working point and not the whole reduced curve.
 */
export function isReducedRocPoint(roc: RocCurve, k: number): boolean {
  const tp = roc.truePositiveWeight;
  const fp = roc.falsePositiveWeight;
  const m = tp.length;
  if (m <= 2 || k === 0 || k === m - 1) return true;
  const fpBefore = (fp[k] as number) - (fp[k - 1] as number);
  const fpAfter = (fp[k + 1] as number) - (fp[k] as number);
  const tpBefore = (tp[k] as number) - (tp[k - 1] as number);
  const tpAfter = (tp[k + 1] as number) - (tp[k] as number);
  return fpAfter - fpBefore !== 0 || tpAfter - tpBefore !== 0;
}
