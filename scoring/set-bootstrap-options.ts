import { ScoringError } from './errors';

/**
 * Checks the options of a bootstrap over sets (shared by the interval metrics and the per-set means, which must draw
 * the same sets): resamples ≥ 1, a seed with seed + resamples − 1 < 2^32 (numpy's `RandomState(seed + i)`), and at
 * least one set per resample.
 *
 * @throws {ScoringError} INVALID_PARAMETER naming the offending option and its value.
 */
export function assertSetBootstrapOptions(resamples: number, seed: number, sampleSize: number): void {
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new ScoringError('INVALID_PARAMETER', `The number of resamples must be an integer ≥ 1; found ${resamples}.`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed + resamples - 1 > 0xffffffff) {
    throw new ScoringError('INVALID_PARAMETER', `The bootstrap seed must be an integer with 0 ≤ seed and seed + resamples − 1 < 2^32; found ${seed}.`);
  }
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new ScoringError('INVALID_PARAMETER', `The sets per resample must be an integer ≥ 1; found ${sampleSize}.`);
  }
}
