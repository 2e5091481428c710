/**
 * Per-pseudo-experiment MAE term of the HiggsML Uncertainty Challenge:
 *   mae_i = |μ̂_i − μ_i| + ||μ̂_i − μ_i| − Δμ̂_i|.
 * The metric `mae` averages it over the PEs of each set, then over the sets (see `computeIntervalMetrics`).
 *
 * Reference: FAIR-Universe `scoring_program/score.py`, `MAE_score` called with scalars per PE; reported, not ranked.
 *
 * Edge cases: none for finite inputs (the result is finite and ≥ 0).
 *
 * @example
 * ```ts
 * signalStrengthMaeTerm(1, 1.3, 0.1); // → ≈ 0.5 = 0.3 + |0.3 − 0.1|
 * ```
 */
export function signalStrengthMaeTerm(muTrue: number, muHat: number, deltaMuHat: number): number {
  const error = Math.abs(muHat - muTrue);
  return error + Math.abs(error - deltaMuHat);
}
