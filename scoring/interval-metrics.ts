import { validateIntervalInput, type IntervalScoringInput, type IntervalSets } from './interval-input';
import { quantileScore } from './quantile-score';
import { signalStrengthMaeTerm } from './signal-strength-mae';
import { signalStrengthRmseTerm } from './signal-strength-rmse';

/** The interval metrics of one submission, by registry id. */
export type IntervalMetrics = {
  quantile_score: number;
  coverage: number;
  interval_width: number;
  rmse: number;
  mae: number;
};

/** Per-set figures (one entry per set, sets in ascending set id), as FAIR-Universe's `set_score_df`. */
export type IntervalSetSummary = {
  setIds: Float64Array;
  sizes: Float64Array;
  coverage: Float64Array;
  intervalWidth: Float64Array;
  quantileScore: Float64Array;
  rmse: Float64Array;
  mae: Float64Array;
};

/**
 * All interval metrics of the HiggsML Uncertainty Challenge (feedback-phase aggregation).
 *
 * - `coverage`, `interval_width`, `quantile_score`: pooled over every PE of every set, N = total number of PEs
 *   (see `intervalCoverage`, `intervalWidth`, `quantileScore`);
 * - `rmse`, `mae`: the per-PE terms (`signalStrengthRmseTerm`, `signalStrengthMaeTerm`) averaged over the PEs of
 *   each set, then over the sets (one set: the mean over its PEs).
 *
 * Reference: FAIR-Universe HEP-Challenge `scoring_program/score.py`, `compute_scores` (overall scores).
 *
 * Edge cases: invalid input (length mismatch, empty, non-finite) → `ScoringError`; never NaN.
 *
 * @example
 * ```ts
 * computeIntervalMetrics({ muTrue, muHat, deltaMuHat, p16, p84, setIds });
 * // → { quantile_score: 1.6…, coverage: 0.68, interval_width: 0.2, rmse: 0.1…, mae: 0.1… }
 * ```
 */
export function computeIntervalMetrics(input: IntervalScoringInput): IntervalMetrics {
  const sets = validateIntervalInput(input);
  const summary = summarizeSets(input, sets);
  const n = input.muTrue.length;
  // Pooled over all PEs, straight from the PEs (not from rounded per-set means).
  let covered = 0;
  let widthSum = 0;
  for (let i = 0; i < n; i++) {
    const mu = input.muTrue[i] as number;
    if ((input.p16[i] as number) <= mu && mu <= (input.p84[i] as number)) covered++;
    widthSum += Math.abs((input.p84[i] as number) - (input.p16[i] as number));
  }
  const coverage = covered / n;
  const intervalWidth = widthSum / n;
  return {
    quantile_score: quantileScore(intervalWidth, coverage, n),
    coverage,
    interval_width: intervalWidth,
    rmse: mean(summary.rmse),
    mae: mean(summary.mae),
  };
}

/**
 * The per-set figures of an input (each set scored on its own, N = set size), used by the final-phase
 * bootstrap over sets.
 *
 * @throws {ScoringError} when the input is invalid.
 */
export function intervalSetSummary(input: IntervalScoringInput): IntervalSetSummary {
  return summarizeSets(input, validateIntervalInput(input));
}

function summarizeSets(input: IntervalScoringInput, sets: IntervalSets): IntervalSetSummary {
  const k = sets.ids.length;
  const covered = new Float64Array(k);
  const width = new Float64Array(k);
  const rmse = new Float64Array(k);
  const mae = new Float64Array(k);
  const n = input.muTrue.length;
  for (let i = 0; i < n; i++) {
    const set = sets.setOf[i] as number;
    const mu = input.muTrue[i] as number;
    const lo = input.p16[i] as number;
    const hi = input.p84[i] as number;
    if (lo <= mu && mu <= hi) covered[set] = (covered[set] as number) + 1;
    width[set] = (width[set] as number) + Math.abs(hi - lo);
    const muHat = input.muHat[i] as number;
    const delta = input.deltaMuHat[i] as number;
    rmse[set] = (rmse[set] as number) + signalStrengthRmseTerm(mu, muHat, delta);
    mae[set] = (mae[set] as number) + signalStrengthMaeTerm(mu, muHat, delta);
  }
  const quantile = new Float64Array(k);
  for (let s = 0; s < k; s++) {
    const size = sets.sizes[s] as number;
    covered[s] = (covered[s] as number) / size;
    width[s] = (width[s] as number) / size;
    rmse[s] = (rmse[s] as number) / size;
    mae[s] = (mae[s] as number) / size;
    quantile[s] = quantileScore(width[s] as number, covered[s] as number, size);
  }
  return { setIds: sets.ids, sizes: sets.sizes, coverage: covered, intervalWidth: width, quantileScore: quantile, rmse, mae };
}

function mean(values: Float64Array): number {
  let sum = 0;
  for (let k = 0; k < values.length; k++) sum += values[k] as number;
  return sum / values.length;
}
