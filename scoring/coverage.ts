/**
 * Coverage of the submitted 68% intervals (metric `coverage`): the fraction of pseudo-experiments whose true μ
 * lies inside [p16, p84], both ends inclusive. The ideal value is 0.6827.
 *
 * c = (1/N) Σ_i 1[p16_i ≤ μ_i ≤ p84_i].
 *
 * Reference: FAIR-Universe HiggsML Uncertainty Challenge `scoring_program/score.py`, `Quantiles_Score.Coverage`.
 *
 * Edge cases: an inverted interval (p16 > p84) covers nothing; N = 0 → `RangeError` (callers validate with
 * `validateIntervalInput` first).
 *
 * @example
 * ```ts
 * intervalCoverage(Float64Array.of(1, 1), Float64Array.of(0.9, 1.0), Float64Array.of(1.1, 1.0)); // → 1 (ends count)
 * ```
 */
export function intervalCoverage(muTrue: Float64Array, p16: Float64Array, p84: Float64Array): number {
  const n = muTrue.length;
  if (n === 0 || p16.length !== n || p84.length !== n) {
    throw new RangeError(`intervalCoverage needs equal, non-zero lengths; found ${n}, ${p16.length} and ${p84.length}.`);
  }
  let covered = 0;
  for (let i = 0; i < n; i++) {
    const mu = muTrue[i] as number;
    if ((p16[i] as number) <= mu && mu <= (p84[i] as number)) covered++;
  }
  return covered / n;
}
