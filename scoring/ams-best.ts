import { ams } from './ams';
import { computeRoc, type RocCurve } from './roc';
import type { BinaryScoringInput } from './types';

/** The selection {score ≥ threshold} that maximises the AMS. */
export type AmsBestSelection = {
  /** The maximal AMS. */
  ams: number;
  /** Lowest selected score: events with score ≥ threshold are selected. */
  threshold: number;
  /** Weighted signal s in the selection. */
  signalWeight: number;
  /** Weighted background b in the selection. */
  backgroundWeight: number;
};

/**
 * Best approximate median significance over score cuts.
 *
 * AMS_best = max over distinct scores t of AMS(s(t), b(t)), where s(t) = Σw[label = 1, score ≥ t],
 * b(t) = Σw[label = 0, score ≥ t] and AMS(s, b) = √(2((s + b + 10)·ln(1 + s/(b + 10)) − s)) (see `ams`).
 * Tie groups are never split: every event with score t is on the same side of the cut.
 *
 * Reference: HiggsML 2014 AMS (`HiggsBosonCompetition_AMSMetric_rev1.py`), scanned over thresholds as in
 * ../shared/docs/METRICS.md. Weights must be absolute yields (KaggleWeight semantics), not normalised.
 *
 * Edge cases: as `ams` (empty selection → 0, so the result is ≥ 0); invalid input → `ScoringError`.
 *
 * @example
 * ```ts
 * amsBest({ labels: Uint8Array.of(1, 0, 1), scores: Float64Array.of(0.9, 0.5, 0.1), weights: Float64Array.of(30, 5, 2) });
 * // → 7.134672304289192 = AMS(30, 0), the cut score ≥ 0.9
 * ```
 */
export function amsBest(input: BinaryScoringInput): number {
  return selectBestAmsCut(computeRoc(input)).ams;
}

/**
 * The cut of {@link amsBest} on an already computed ROC, with its threshold and yields. Among equal AMS
 * values the tightest cut (highest threshold) wins. If no cut has a positive AMS, the result is the empty
 * selection: `{ ams: 0, threshold: Infinity, signalWeight: 0, backgroundWeight: 0 }`.
 *
 * @example
 * ```ts
 * selectBestAmsCut(computeRoc(input)); // → { ams, threshold, signalWeight, backgroundWeight }
 * ```
 */
export function selectBestAmsCut(roc: RocCurve, bReg = 10): AmsBestSelection {
  const { thresholds, truePositiveWeight, falsePositiveWeight } = roc;
  ams(0, 0, bReg); // validates bReg once
  let best: AmsBestSelection = { ams: 0, threshold: Infinity, signalWeight: 0, backgroundWeight: 0 };
  // AMS² = 2B((1 + x)ln(1 + x) − x) ≤ s²/B with B = b + bReg, x = s/B, so a cut with s² < AMS_best²·B cannot win
  // and its logarithm is skipped; the 1e-9 margin covers rounding in the AMS itself.
  let pruneBelow = 0;
  for (let k = 0; k < thresholds.length; k++) {
    const s = truePositiveWeight[k] as number;
    const b = falsePositiveWeight[k] as number;
    if (s * s < pruneBelow * (b + bReg)) continue;
    const value = ams(s, b, bReg);
    if (value > best.ams) {
      best = { ams: value, threshold: thresholds[k] as number, signalWeight: s, backgroundWeight: b };
      pruneBelow = value * value * (1 - 1e-9);
    }
  }
  return best;
}
