/** The target coverage of a ±1σ interval used by FAIR-Universe (0.6827, not the 0.68 of its docs). */
export const ONE_SIGMA_COVERAGE = 0.6827;
/** ε added to the width inside the logarithm of the quantile score. */
export const QUANTILE_SCORE_EPSILON = 1e-3;

/**
 * Coverage penalty f(c) of the quantile score for coverage c measured on N pseudo-experiments.
 *
 * σ68 = √(0.6827·0.3173·N)/N (binomial standard deviation of the coverage fraction), lo = 0.6827 − 2σ68,
 * hi = 0.6827 + 2σ68; f = 1 on [lo, hi], 1 + |(c − lo)/σ68|⁴ below (under-coverage), 1 + |(c − hi)/σ68|³ above.
 *
 * Reference: FAIR-Universe `scoring_program/score.py`, `Quantiles_Score.f` (one_sigma = 0.6827).
 *
 * Edge cases: N must be a positive number (`RangeError` otherwise); f ≥ 1 always.
 *
 * @example
 * ```ts
 * coveragePenalty(0.68, 1000); // → 1 (inside [0.65326, 0.71214])
 * ```
 */
export function coveragePenalty(coverage: number, n: number): number {
  if (!(n > 0) || !Number.isFinite(n)) throw new RangeError(`The number of pseudo-experiments must be positive; found ${n}.`);
  if (!Number.isFinite(coverage)) throw new RangeError(`The coverage must be a finite number; found ${coverage}.`);
  const sigma68 = Math.sqrt((1 - ONE_SIGMA_COVERAGE) * ONE_SIGMA_COVERAGE * n) / n;
  const lo = ONE_SIGMA_COVERAGE - 2 * sigma68;
  const hi = ONE_SIGMA_COVERAGE + 2 * sigma68;
  if (coverage >= lo && coverage <= hi) return 1;
  if (coverage < lo) return 1 + Math.abs((coverage - lo) / sigma68) ** 4;
  return 1 + Math.abs((coverage - hi) / sigma68) ** 3;
}

/**
 * Quantile score of the HiggsML Uncertainty Challenge (metric `quantile_score`); higher is better.
 *
 * score = −ln((w + 0.001) · f(c)) with w the mean interval width, c the coverage and f the
 * {@link coveragePenalty} for N pseudo-experiments.
 *
 * Reference: FAIR-Universe HEP-Challenge `scoring_program/score.py`, `Quantiles_Score` (ε = 1e-3); the
 * leaderboard column `quantiles_score`.
 *
 * Edge cases: w ≥ 0 and f ≥ 1 keep the logarithm's argument positive; w = Infinity → −Infinity. Invalid N or a
 * non-finite coverage → `RangeError`.
 *
 * @example
 * ```ts
 * quantileScore(0.2, 0.68, 1000); // → −ln(0.201) = 1.6045…
 * ```
 */
export function quantileScore(width: number, coverage: number, n: number): number {
  return -Math.log((width + QUANTILE_SCORE_EPSILON) * coveragePenalty(coverage, n));
}
