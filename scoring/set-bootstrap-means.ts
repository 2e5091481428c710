import { ScoringError } from './errors';
import { assertSetBootstrapOptions } from './set-bootstrap-options';
import { Mt19937 } from './mt19937';

/**
 * Per-resample means of a per-set quantity over the same resamples as {@link bootstrapIntervalSets}: resample
 * r (r = 0 … R − 1) draws `sampleSize` set indices with replacement from `np.random.RandomState(seed + r)`
 * (MT19937, masked rejection) and averages `perSet` over the drawn sets. With the per-set coverages or widths of
 * `intervalSetSummary` this reproduces bootstrapIntervalSets' `coverage` / `interval_width` values exactly; with
 * the per-set `rmse` or `mae` it gives the resampled spread of those metrics (mean over sets of the per-set mean).
 *
 * Reference: FAIR-Universe HEP-Challenge `scoring_program/score.py`, `compute_bootstraped_scores`.
 *
 * Edge cases: one set → every resample is that set's value (no randomness consumed, as numpy); no sets, R < 1,
 * sampleSize < 1, a non-finite per-set value, or a seed outside 0 ≤ seed, seed + R − 1 < 2^32 →
 * `ScoringError('INVALID_PARAMETER')`.
 *
 * @example
 * ```ts
 * bootstrapSetMeans(intervalSetSummary(input).rmse, { resamples: 200, seed: 7 }); // → Float64Array(200)
 * ```
 */
export function bootstrapSetMeans(perSet: ArrayLike<number>, options: { resamples: number; seed: number; sampleSize?: number }): Float64Array {
  const sets = perSet.length;
  const { resamples, seed } = options;
  const sampleSize = options.sampleSize ?? sets;
  if (sets < 1) throw new ScoringError('INVALID_PARAMETER', 'Cannot resample zero sets; expected at least one per-set value, found none.');
  assertSetBootstrapOptions(resamples, seed, sampleSize);
  for (let s = 0; s < sets; s++) {
    if (!Number.isFinite(perSet[s] as number)) {
      throw new ScoringError('INVALID_PARAMETER', `Per-set values must be finite numbers; found ${perSet[s]} for set ${s}.`, s);
    }
  }
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const generator = new Mt19937(seed + r);
    let sum = 0;
    for (let k = 0; k < sampleSize; k++) sum += perSet[generator.nextBelow(sets)] as number;
    means[r] = sum / sampleSize;
  }
  return means;
}
