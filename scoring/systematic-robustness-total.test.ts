import { describe, expect, it } from 'vitest';
import { systematicRobustness } from './systematic-robustness';
import { systematicRobustnessTotal } from './systematic-robustness-total';

describe('systematicRobustnessTotal', () => {
  const pair = [
    { name: 'up', value: 95, group: 'scale', pairedWith: 'down' },
    { name: 'down', value: 103, group: 'scale' },
    { name: 'alt', value: 104, group: 'generator' },
  ];

  it('equals the total of systematicRobustness for a finite non-zero nominal', () => {
    expect(systematicRobustnessTotal(100, pair)).toBe(systematicRobustness(100, pair).total);
  });

  it('is 0 when an unbounded nominal stays unbounded on every varied set (perfect classifier)', () => {
    expect(systematicRobustnessTotal(Infinity, pair.map((v) => ({ ...v, value: Infinity })))).toBe(0);
    expect(systematicRobustnessTotal(0, [{ name: 'a', value: 0 }])).toBe(0);
  });

  it('counts a finite value against an unbounded nominal as a relative shift of 1, combined by the pair rule', () => {
    const result = systematicRobustnessTotal(Infinity, [
      { name: 'up', value: 250, group: 'scale', pairedWith: 'down' },
      { name: 'down', value: Infinity, group: 'scale' },
      { name: 'alt', value: 40, group: 'generator' },
    ]);
    expect(result).toBeCloseTo(Math.SQRT2, 15);
  });

  it('is Infinity, never NaN, when a zero nominal moves', () => {
    expect(systematicRobustnessTotal(0, [{ name: 'a', value: 0.2 }])).toBe(Infinity);
  });

  it('is 0 without variations and rejects NaN with a typed error naming the value', () => {
    expect(systematicRobustnessTotal(3, [])).toBe(0);
    expect(() => systematicRobustnessTotal(Number.NaN, [])).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    expect(() => systematicRobustnessTotal(0, [{ name: 'a', value: Number.NaN }])).toThrow(/variation "a"/);
  });
});
