import { resolveBinaryParams, type ResolvedBinaryParams } from './binary-params';
import { ScoringError } from './errors';
import { PreparedBinaryInput } from './prepared-binary-input';
import { selectedYields } from './selection';
import type { BinaryMetricParams, BinaryScoringInput } from './types';

/**
 * Median discovery significance of the Asimov data set with an uncertain background (Cowan).
 *
 * With σ = r·b (r: relative background uncertainty):
 *   Z = √(2[(s + b)·ln((s + b)(b + σ²)/(b² + (s + b)σ²)) − (b²/σ²)·ln(1 + σ²s/(b(b + σ²)))])
 * and for r = 0 the limit Z = √(2((s + b)·ln(1 + s/b) − s)). Natural logs. It is evaluated in the algebraically
 * equal form Z² = 2[(s + b)·ln1p(s/(b(1 + (s + b)r²))) − ln1p(r²s/(1 + r²b))/r²], which avoids b²/σ² overflowing
 * and keeps precision for small s/b.
 *
 * Reference: G. Cowan, "Discovery sensitivity for a counting experiment with background uncertainty" (2012),
 * eq. (20); G. Cowan, K. Cranmer, E. Gross, O. Vitells, Eur. Phys. J. C 71 (2011) 1554, eq. (97) for r = 0.
 *
 * Edge cases: s = 0 → 0; b = 0 with s > 0 → Infinity (the limit, for any r); r² underflowing to 0 → the r = 0
 * formula; a radicand that rounding makes ≤ 0 → 0. Negative or non-finite s, b or r → `ScoringError`.
 *
 * @example
 * ```ts
 * asimovSignificance(10, 100, 0); // → 0.98399…
 * asimovSignificance(10, 100, 0.1); // → 0.69019…: a 10% background uncertainty costs significance
 * ```
 */
export function asimovSignificance(signalWeight: number, backgroundWeight: number, backgroundRelativeUncertainty = 0): number {
  assertNonNegative('signal yield s', signalWeight, 'NEGATIVE_WEIGHT');
  assertNonNegative('background yield b', backgroundWeight, 'NEGATIVE_WEIGHT');
  assertNonNegative('background relative uncertainty r', backgroundRelativeUncertainty, 'INVALID_PARAMETER');
  const s = signalWeight;
  const b = backgroundWeight;
  if (s === 0) return 0;
  if (b === 0) return Infinity;
  const r2 = backgroundRelativeUncertainty * backgroundRelativeUncertainty;
  const radicand =
    r2 === 0
      ? 2 * ((s + b) * Math.log1p(s / b) - s)
      : 2 * ((s + b) * Math.log1p(s / (b * (1 + (s + b) * r2))) - Math.log1p((r2 * s) / (1 + r2 * b)) / r2);
  return radicand > 0 ? Math.sqrt(radicand) : 0;
}

/**
 * The metric `significance_asimov`: {@link asimovSignificance} of the challenge's fixed selection (the submitted
 * class column, else score ≥ threshold), with weights as absolute yields and r from the params (default 0).
 *
 * @example
 * ```ts
 * significanceAsimov(input, { threshold: 0.8, backgroundRelativeUncertainty: 0.1 });
 * ```
 */
export function significanceAsimov(input: BinaryScoringInput, params?: BinaryMetricParams): number {
  const prepared = PreparedBinaryInput.prepare(input);
  return significanceAsimovOfPrepared(prepared, resolveBinaryParams(params, prepared.n));
}

/** {@link significanceAsimov} of a prepared input (or replica). */
export function significanceAsimovOfPrepared(prepared: PreparedBinaryInput, params: ResolvedBinaryParams): number {
  const { signalWeight, backgroundWeight } = selectedYields(prepared, params);
  return asimovSignificance(signalWeight, backgroundWeight, params.backgroundRelativeUncertainty);
}

function assertNonNegative(name: string, value: number, code: 'NEGATIVE_WEIGHT' | 'INVALID_PARAMETER'): void {
  if (!Number.isFinite(value)) {
    throw new ScoringError(code === 'NEGATIVE_WEIGHT' ? 'NON_FINITE' : code, `The Asimov ${name} must be a finite number; found ${value}.`);
  }
  if (value < 0) throw new ScoringError(code, `The Asimov ${name} must be non-negative; found ${value}.`);
}
