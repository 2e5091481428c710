import { describe, expect, it } from 'vitest';
import { ams } from './ams';

describe('ams', () => {
  it('reproduces the published TMVA benchmark AMS(212.848603705, 4345.089289) = 3.19956489456', () => {
    expect(Math.abs(ams(212.848603705, 4345.089289) / 3.19956489456 - 1)).toBeLessThan(1e-9);
  });

  it('reproduces the toy value AMS(s = 2, b = 1) = 0.586008704067032', () => {
    expect(Math.abs(ams(2, 1) / 0.586008704067032 - 1)).toBeLessThan(1e-12);
  });

  it('is 0 for an empty selection', () => {
    expect(ams(0, 0)).toBe(0);
    expect(ams(0, 1234.5)).toBe(0);
  });

  it('returns 0 rather than NaN when rounding makes the radicand negative', () => {
    // s ≪ b: the two terms of the radicand cancel, and rounding leaves -2.2e-16 for these values.
    const s = 1;
    const b = 1e17;
    expect(2 * ((s + b + 10) * Math.log1p(s / (b + 10)) - s)).toBeLessThan(0);
    expect(ams(s, b)).toBe(0);
  });

  it('stays accurate for a small s/b thanks to log1p (≈ s/√b)', () => {
    expect(ams(1e-3, 1e6 - 10) / (1e-3 / Math.sqrt(1e6)) - 1).toBeLessThan(1e-6);
  });

  it('uses the bReg it is given, and the limit Infinity when b + bReg = 0', () => {
    expect(ams(2, 1, 0)).toBeCloseTo(Math.sqrt(2 * (3 * Math.log(3) - 2)), 14);
    expect(ams(5, 0, 0)).toBe(Infinity);
  });

  it('rejects negative or non-finite yields instead of returning NaN', () => {
    expect(() => ams(-1, 10)).toThrow(expect.objectContaining({ code: 'NEGATIVE_WEIGHT' }));
    expect(() => ams(1, Number.NaN)).toThrow(expect.objectContaining({ code: 'NON_FINITE' }));
    expect(() => ams(1, 1, -10)).toThrow(/bReg must be non-negative; found -10/);
  });
});
