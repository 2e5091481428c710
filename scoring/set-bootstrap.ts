import { assertSetBootstrapOptions } from './set-bootstrap-options';
import { type IntervalScoringInput } from './interval-input';
import { intervalSetSummary } from './interval-metrics';
import { Mt19937 } from './mt19937';
import { percentile } from './percentile';
import { quantileScore } from './quantile-score';

/** Summary of one quantity over the bootstrap resamples. */
export type ResampledSpread = {
  /** The value of every resample, in resample order. */
  values: Float64Array;
  mean: number;
  /** Standard deviation with divisor R (numpy `std`, ddof = 0): the error FAIR-Universe quotes. */
  std: number;
  /** 16th and 84th percentiles (linear interpolation, see `percentile`). */
  p16: number;
  p84: number;
};

/** Result of {@link bootstrapIntervalSets}. */
export type SetBootstrapResult = {
  resamples: number;
  seed: number;
  /** Sets drawn per resample (default: the number of sets). */
  sampleSize: number;
  sets: number;
  quantile_score: ResampledSpread;
  coverage: ResampledSpread;
  interval_width: ResampledSpread;
};

/**
 * Final-phase error of the interval metrics: a bootstrap over whole sets of pseudo-experiments.
 *
 * Resample i (i = 0 … R − 1) draws `sampleSize` set indices with replacement using numpy's legacy generator
 * `np.random.RandomState(seed + i).choice(sets, size=sampleSize, replace=True)` (MT19937 + masked rejection,
 * reproduced bit for bit by `Mt19937`); then coverage = mean of the drawn sets' coverages, width = mean of
 * their widths, N = sum of their sizes, quantile score = −ln((width + 0.001)·f(coverage, N)).
 *
 * Reference: FAIR-Universe HEP-Challenge `scoring_program/score.py`, `compute_bootstraped_scores` (R = 1000 and
 * base seed 42 at phase close). Sets are taken in ascending set id, as FAIR-Universe sorts them by set index.
 *
 * Edge cases: one set → every resample draws it (no randomness consumed, as numpy); R < 1, a negative or
 * non-integer seed, or sampleSize < 1 → `ScoringError('INVALID_PARAMETER')`; invalid input → `ScoringError`.
 *
 * @example
 * ```ts
 * bootstrapIntervalSets(input, { resamples: 1000, seed: 42 }).quantile_score.std; // the quoted error
 * ```
 */
export function bootstrapIntervalSets(
  input: IntervalScoringInput,
  options: { resamples?: number; seed?: number; sampleSize?: number } = {},
): SetBootstrapResult {
  const summary = intervalSetSummary(input);
  const sets = summary.sizes.length;
  const resamples = options.resamples ?? 1000;
  const seed = options.seed ?? 42;
  const sampleSize = options.sampleSize ?? sets;
  assertSetBootstrapOptions(resamples, seed, sampleSize);
  const scores = new Float64Array(resamples);
  const coverages = new Float64Array(resamples);
  const widths = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    const generator = new Mt19937(seed + r);
    let coverageSum = 0;
    let widthSum = 0;
    let total = 0;
    for (let k = 0; k < sampleSize; k++) {
      const set = generator.nextBelow(sets);
      coverageSum += summary.coverage[set] as number;
      widthSum += summary.intervalWidth[set] as number;
      total += summary.sizes[set] as number;
    }
    const coverage = coverageSum / sampleSize;
    const width = widthSum / sampleSize;
    coverages[r] = coverage;
    widths[r] = width;
    scores[r] = quantileScore(width, coverage, total);
  }
  return {
    resamples,
    seed,
    sampleSize,
    sets,
    quantile_score: spreadOf(scores),
    coverage: spreadOf(coverages),
    interval_width: spreadOf(widths),
  };
}

function spreadOf(values: Float64Array): ResampledSpread {
  const n = values.length;
  let sum = 0;
  for (let k = 0; k < n; k++) sum += values[k] as number;
  const mean = sum / n;
  let squares = 0;
  for (let k = 0; k < n; k++) squares += ((values[k] as number) - mean) ** 2;
  const sorted = Float64Array.from(values).sort();
  return { values, mean, std: Math.sqrt(squares / n), p16: percentile(sorted, 16), p84: percentile(sorted, 84) };
}
