import type { ResolvedBinaryParams } from './binary-params';
import { ScoringError } from './errors';
import type { PreparedBinaryInput } from './prepared-binary-input';
import { selectedYields } from './selection';

/**
 * Approximate median significance (HiggsML 2014).
 *
 * AMS = √(2 · ((s + b + bReg) · ln(1 + s / (b + bReg)) − s)), natural log, bReg = 10.
 * s, b: weighted signal and background in the selection (absolute expected yields, not fractions).
 *
 * Reference: C. Adam-Bourdarios et al., "The Higgs boson machine learning challenge", JMLR W&CP 42 (2015),
 * eq. (7); `HiggsBosonCompetition_AMSMetric_rev1.py`. Published check: AMS(s = 212.848603705,
 * b = 4345.089289) = 3.19956489456 (TMVA benchmark, private leaderboard).
 *
 * Edge cases: empty selection (s = 0) → 0; a radicand that rounding makes slightly negative → 0;
 * b + bReg = 0 with s > 0 → Infinity (the limit). Non-finite or negative s, b or bReg → `ScoringError`.
 *
 * @example
 * ```ts
 * ams(2, 1); // → 0.586008704067032
 * ```
 */
export function ams(signalWeight: number, backgroundWeight: number, bReg = 10): number {
  assertYield('signal weight s', signalWeight);
  assertYield('background weight b', backgroundWeight);
  assertYield('regularisation term bReg', bReg);
  if (signalWeight === 0) return 0;
  const denominator = backgroundWeight + bReg;
  if (denominator === 0) return Infinity;
  const radicand = 2 * ((signalWeight + denominator) * Math.log1p(signalWeight / denominator) - signalWeight);
  return radicand > 0 ? Math.sqrt(radicand) : 0;
}

function assertYield(name: string, value: number): void {
  if (!Number.isFinite(value)) {
    throw new ScoringError('NON_FINITE', `The AMS ${name} must be a finite number; found ${value}.`);
  }
  if (value < 0) {
    throw new ScoringError('NEGATIVE_WEIGHT', `The AMS ${name} must be non-negative; found ${value}.`);
  }
}

/**
 * The metric `ams`: {@link ams} of the challenge's fixed selection (the submitted class column, else
 * score ≥ threshold, default 0.5), s and b = weighted signal and background in it, bReg from the params.
 *
 * @example
 * ```ts
 * amsOfPrepared(PreparedBinaryInput.prepare(input), resolveBinaryParams({ threshold: 0.8 }, input.labels.length));
 * ```
 */
export function amsOfPrepared(prepared: PreparedBinaryInput, params: ResolvedBinaryParams): number {
  const { signalWeight, backgroundWeight } = selectedYields(prepared, params);
  return ams(signalWeight, backgroundWeight, params.bReg);
}
