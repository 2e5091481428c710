import { describe, expect, it } from 'vitest';
import { ams } from './ams';
import { asimovSignificance, significanceAsimov } from './asimov-significance';

/** Cowan's formula exactly as written, for moderate values where float64 is accurate enough. */
function direct(s: number, b: number, r: number): number {
  const sigma2 = (r * b) ** 2;
  return Math.sqrt(
    2 * ((s + b) * Math.log(((s + b) * (b + sigma2)) / (b * b + (s + b) * sigma2)) - ((b * b) / sigma2) * Math.log(1 + (sigma2 * s) / (b * (b + sigma2)))),
  );
}

describe('asimovSignificance (Cowan)', () => {
  it('gives the TSDoc examples', () => {
    expect(asimovSignificance(10, 100, 0)).toBeCloseTo(0.9839916447569484, 13);
    expect(asimovSignificance(10, 100, 0.1)).toBeCloseTo(0.6901960632965309, 13);
  });

  it("equals the formula as written for moderate s, b, r (to the float64 formula's own rounding)", () => {
    for (const [s, b, r] of [[5, 20, 0.05], [50, 1000, 0.3], [3, 3, 1]] as const) {
      expect(Math.abs(asimovSignificance(s, b, r) / direct(s, b, r) - 1)).toBeLessThan(1e-10);
    }
  });

  it('reduces for r = 0 to √(2((s+b)ln(1+s/b) − s)), the AMS without regularisation', () => {
    expect(asimovSignificance(7, 40, 0)).toBeCloseTo(ams(7, 40, 0), 14);
  });

  it('is continuous at r → 0 and decreases as the background uncertainty grows', () => {
    expect(asimovSignificance(7, 40, 1e-9) / asimovSignificance(7, 40, 0) - 1).toBeLessThan(1e-12);
    expect(asimovSignificance(7, 40, 1e-200)).toBe(asimovSignificance(7, 40, 0)); // r² underflows to 0
    expect(asimovSignificance(7, 40, 0.2)).toBeLessThan(asimovSignificance(7, 40, 0.1));
  });

  it('handles b → 0 and s = 0 without NaN: Infinity and 0', () => {
    expect(asimovSignificance(1, 0, 0.1)).toBe(Infinity);
    expect(asimovSignificance(1, 0, 0)).toBe(Infinity);
    expect(asimovSignificance(0, 0, 0.1)).toBe(0);
    expect(asimovSignificance(0, 1e6, 0.5)).toBe(0);
    const tinyB = asimovSignificance(1, 1e-300, 0.1);
    expect(Number.isFinite(tinyB) || tinyB === Infinity).toBe(true);
    expect(tinyB).toBeGreaterThan(30);
  });

  it('stays accurate for s ≪ b (≈ s/√(b(1 + r²b)))', () => {
    const s = 1e-3;
    const b = 1e6;
    const r = 1e-3;
    expect(asimovSignificance(s, b, r) / (s / Math.sqrt(b * (1 + r * r * b))) - 1).toBeLessThan(1e-6);
    expect(Number.isNaN(asimovSignificance(1, 1e17, 0.1))).toBe(false);
  });

  it('rejects negative or non-finite inputs with typed errors', () => {
    expect(() => asimovSignificance(-1, 1)).toThrow(expect.objectContaining({ code: 'NEGATIVE_WEIGHT' }));
    expect(() => asimovSignificance(1, Number.NaN)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => asimovSignificance(1, 1, -0.1)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });
});

describe('significanceAsimov (metric significance_asimov)', () => {
  it('uses the fixed selection score ≥ threshold, or the class column, with weights as yields', () => {
    const input = { labels: Uint8Array.of(1, 0, 1, 0), scores: Float64Array.of(0.9, 0.8, 0.3, 0.2), weights: Float64Array.of(10, 100, 5, 50) };
    expect(significanceAsimov(input, { backgroundRelativeUncertainty: 0.1 })).toBe(asimovSignificance(10, 100, 0.1));
    expect(significanceAsimov(input, { classes: Uint8Array.of(1, 0, 1, 1) })).toBe(asimovSignificance(15, 50, 0));
  });
});
