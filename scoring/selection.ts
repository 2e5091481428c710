import type { ResolvedBinaryParams } from './binary-params';
import type { PreparedBinaryInput } from './prepared-binary-input';
import type { RocCurve } from './roc';

/** Weighted yields of a selection. */
export type SelectionYields = {
  /** s = Σw over selected signal events (label 1). */
  signalWeight: number;
  /** b = Σw over selected background events (label 0). */
  backgroundWeight: number;
};

/**
 * The selected events of a challenge's fixed working point, as 0/1 per row: the submitted class column when the
 * params carry one, else score ≥ threshold (default 0.5). Shared by `accuracy`, `ams` and `significance_asimov`;
 * built once per input and parameter set and shared with bootstrap replicas.
 *
 * @example
 * ```ts
 * selectionMask(prepared, { threshold: 0.5, classes: undefined, … }); // → Uint8Array [1, 0, …]
 * ```
 */
export function selectionMask(prepared: PreparedBinaryInput, params: ResolvedBinaryParams): Uint8Array {
  if (params.classes !== undefined) return prepared.alignRowVector(params.classes);
  const { threshold } = params;
  return prepared.rowQuantity(`selection:score>=${threshold}`, () => {
    const { scores, n } = prepared;
    const mask = new Uint8Array(n);
    for (let i = 0; i < n; i++) mask[i] = (scores[i] as number) >= threshold ? 1 : 0;
    return mask;
  });
}

/** Everything the fixed-selection metrics need, from one pass over the rows. */
export type SelectionSummary = SelectionYields & {
  /** Σw over events whose class (selected = 1) equals their label. */
  correctWeight: number;
  /** Σw over all events. */
  totalWeight: number;
};

/**
 * s and b of the selection of {@link selectionMask}, with the input's weights (absolute yields for AMS), plus
 * the weight classified correctly; one pass, computed once per input (and replica) and parameter set.
 *
 * @example
 * ```ts
 * selectedYields(prepared, params); // → { signalWeight: 12.5, backgroundWeight: 340, correctWeight: …, totalWeight: … }
 * ```
 */
export function selectedYields(prepared: PreparedBinaryInput, params: ResolvedBinaryParams): SelectionSummary {
  if (prepared.isReplica && params.classes === undefined) return yieldsFromRoc(prepared.roc(), params.threshold);
  const mask = selectionMask(prepared, params);
  return prepared.ownQuantity(mask, () => {
    const { labels, weights, n } = prepared;
    let signalWeight = 0;
    let backgroundWeight = 0;
    let correctWeight = 0;
    let totalWeight = 0;
    // Branch-free (labels and selections are unpredictable); adding w·0 = +0 leaves every sum bit-identical.
    for (let i = 0; i < n; i++) {
      const w = weights === undefined ? 1 : (weights[i] as number);
      const label = labels[i] as number;
      const selected = mask[i] as number;
      signalWeight += w * (label & selected);
      backgroundWeight += w * ((label ^ 1) & selected);
      correctWeight += w * ((label ^ selected) ^ 1);
      totalWeight += w;
    }
    return { signalWeight, backgroundWeight, correctWeight, totalWeight };
  });
}

/**
 * The yields of {score ≥ threshold} read off the ROC (a binary search): s and b are the cumulative weights at the
 * last point whose threshold is ≥ the cut. Used for bootstrap replicas, whose ROC is built anyway; equal to the
 * row pass up to the order of floating-point sums.
 */
function yieldsFromRoc(roc: RocCurve, threshold: number): SelectionSummary {
  const { thresholds, truePositiveWeight, falsePositiveWeight, totalSignalWeight, totalBackgroundWeight } = roc;
  let lo = 0;
  let hi = thresholds.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((thresholds[mid] as number) >= threshold) lo = mid + 1;
    else hi = mid;
  }
  const signalWeight = lo === 0 ? 0 : (truePositiveWeight[lo - 1] as number);
  const backgroundWeight = lo === 0 ? 0 : (falsePositiveWeight[lo - 1] as number);
  return {
    signalWeight,
    backgroundWeight,
    correctWeight: signalWeight + (totalBackgroundWeight - backgroundWeight),
    totalWeight: totalSignalWeight + totalBackgroundWeight,
  };
}
