import { ScoringError } from './errors';
import { systematicRobustness, type SystematicVariation } from './systematic-robustness';

/**
 * The total systematic robustness of one metric (see {@link systematicRobustness}: relative shifts
 * u_X = |M_X / M_nominal − 1|, an up/down pair contributing max(u_up, u_down), groups in quadrature), extended to
 * the nominal values where the relative shift is a limit rather than a quotient, so that a leaderboard can store a
 * number for every submission.
 *
 * For a finite non-zero nominal this is exactly `systematicRobustness(nominal, variations).total`. Otherwise:
 * - nominal 0 or ±Infinity and M_X equal to it (a perfect classifier with unbounded rejection on every set): u_X = 0;
 * - nominal ±Infinity and M_X finite: u_X = 1 (the limit of |M_X / M − 1| as M → ∞);
 * - nominal 0 and M_X ≠ 0, or nominal +Infinity and M_X = −Infinity: u_X = Infinity.
 * The shifts are then combined by the same pair and group rule.
 *
 * Edge cases: a NaN nominal or value, duplicate names, or inconsistent pairs → `ScoringError('INVALID_PARAMETER')`;
 * no variations → 0. Never NaN.
 *
 * @example
 * ```ts
 * systematicRobustnessTotal(100, [{ name: 'up', value: 95, pairedWith: 'down' }, { name: 'down', value: 103 }]); // → 0.05
 * systematicRobustnessTotal(Infinity, [{ name: 'up', value: Infinity }]); // → 0
 * systematicRobustnessTotal(Infinity, [{ name: 'up', value: 250 }]); // → 1
 * ```
 */
export function systematicRobustnessTotal(nominal: number, variations: readonly SystematicVariation[]): number {
  if (Number.isNaN(nominal)) throw new ScoringError('INVALID_PARAMETER', 'The nominal value must be a number to take relative shifts; found NaN.');
  if (Number.isFinite(nominal) && nominal !== 0) return systematicRobustness(nominal, variations).total;
  // Shifts u ∈ {0, 1, ∞} are carried as values 1 + u around a nominal of 1, which reproduces them exactly.
  const shifted = variations.map((variation) => {
    if (Number.isNaN(variation.value)) {
      throw new ScoringError('INVALID_PARAMETER', `The value of variation "${variation.name}" must be a number; found NaN.`);
    }
    return { ...variation, value: 1 + limitShift(nominal, variation.value) };
  });
  return systematicRobustness(1, shifted).total;
}

function limitShift(nominal: number, value: number): number {
  if (value === nominal) return 0;
  if (nominal !== 0 && Number.isFinite(value)) return 1;
  return Infinity;
}
