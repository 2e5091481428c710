/**
 * Mean width of the submitted 68% intervals (metric `interval_width`); lower is better at fixed coverage.
 *
 * w = (1/N) Σ_i |p84_i − p16_i| over the N pseudo-experiments (absolute value: an inverted interval still has
 * a positive width).
 *
 * Reference: FAIR-Universe HiggsML Uncertainty Challenge `scoring_program/score.py`, `Quantiles_Score.Interval`.
 *
 * Edge cases: N = 0 → `RangeError` (callers validate with `validateIntervalInput` first).
 *
 * @example
 * ```ts
 * intervalWidth(Float64Array.of(0.9, 1.2), Float64Array.of(1.1, 1.0)); // → 0.2 (the second interval is inverted)
 * ```
 */
export function intervalWidth(p16: Float64Array, p84: Float64Array): number {
  const n = p16.length;
  if (n === 0 || p84.length !== n) throw new RangeError(`intervalWidth needs equal, non-zero lengths; found ${n} and ${p84.length}.`);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs((p84[i] as number) - (p16[i] as number));
  return sum / n;
}
