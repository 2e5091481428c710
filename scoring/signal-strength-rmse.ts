/**
 * Per-pseudo-experiment RMSE term of the HiggsML Uncertainty Challenge, which rewards both an accurate μ̂ and a
 * Δμ̂ that matches the actual error:
 *   rmse_i = √((μ̂_i − μ_i)² + ((μ̂_i − μ_i)² − Δμ̂_i²)²).
 * The metric `rmse` averages it over the PEs of each set, then over the sets (see `computeIntervalMetrics`).
 *
 * Reference: FAIR-Universe `scoring_program/score.py`, `RMSE_score` called with scalars per PE; reported, not ranked.
 *
 * Edge cases: none for finite inputs (the result is finite and ≥ 0).
 *
 * @example
 * ```ts
 * signalStrengthRmseTerm(1, 1.3, 0.3); // → ≈ 0.3: √(0.09 + 0²), Δμ̂ matches the error
 * ```
 */
export function signalStrengthRmseTerm(muTrue: number, muHat: number, deltaMuHat: number): number {
  const error = muHat - muTrue;
  const squared = error * error;
  const mismatch = squared - deltaMuHat * deltaMuHat;
  return Math.sqrt(squared + mismatch * mismatch);
}
