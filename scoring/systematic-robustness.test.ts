import { describe, expect, it } from 'vitest';
import { systematicRobustness } from './systematic-robustness';

describe('systematicRobustness (ATLAS top-tagging recipe)', () => {
  it('gives the TSDoc example: max over an up/down pair, quadrature within the group', () => {
    const result = systematicRobustness(100, [
      { name: 'esup', value: 95, group: 'cluster', pairedWith: 'esdown' },
      { name: 'esdown', value: 103, group: 'cluster' },
      { name: 'cer', value: 104, group: 'cluster' },
    ]);
    expect(result.shifts.map((s) => s.relativeShift)).toEqual([0.050000000000000044, 0.030000000000000027, 0.040000000000000036]);
    expect(result.groups).toHaveLength(1);
    expect(result.groups[0]?.terms.map((t) => t.names)).toEqual([['esup', 'esdown'], ['cer']]);
    expect(result.total).toBeCloseTo(Math.hypot(0.05, 0.04), 14);
  });

  it('adds independent groups in quadrature into the total', () => {
    const result = systematicRobustness(50, [
      { name: 'a', value: 55, group: 'cluster' },
      { name: 'b', value: 47, group: 'track' },
      { name: 'c', value: 50.5 },
    ]);
    const contributions = Object.fromEntries(result.groups.map((g) => [g.group, g.contribution]));
    expect(contributions.cluster).toBeCloseTo(0.1, 14);
    expect(contributions.track).toBeCloseTo(0.06, 14);
    expect(contributions.c).toBeCloseTo(0.01, 14);
    expect(result.total).toBeCloseTo(Math.sqrt(0.01 + 0.0036 + 0.0001), 14);
  });

  it('accepts a pair declared on either side and defaults its group to the pair', () => {
    const result = systematicRobustness(10, [
      { name: 'up', value: 11 },
      { name: 'down', value: 9.5, pairedWith: 'up' },
    ]);
    expect(result.groups).toEqual([{ group: 'up/down', terms: [{ names: ['up', 'down'], relativeShift: 0.10000000000000009 }], contribution: 0.10000000000000009 }]);
  });

  it('is Infinity, not NaN, when a varied value is unbounded', () => {
    expect(systematicRobustness(10, [{ name: 'x', value: Infinity }]).total).toBe(Infinity);
  });

  it('rejects a zero or infinite nominal, duplicates and inconsistent pairs with typed errors', () => {
    const fails = (run: () => unknown) => expect(run).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    fails(() => systematicRobustness(0, [{ name: 'a', value: 1 }]));
    fails(() => systematicRobustness(Infinity, [{ name: 'a', value: 1 }]));
    fails(() => systematicRobustness(1, [{ name: 'a', value: 1 }, { name: 'a', value: 2 }]));
    fails(() => systematicRobustness(1, [{ name: 'a', value: 1, pairedWith: 'zz' }]));
    fails(() => systematicRobustness(1, [{ name: 'a', value: 1, pairedWith: 'b' }, { name: 'b', value: 1, pairedWith: 'c' }, { name: 'c', value: 1 }]));
    fails(() => systematicRobustness(1, [{ name: 'a', value: 1, pairedWith: 'b', group: 'g1' }, { name: 'b', value: 1, group: 'g2' }]));
    fails(() => systematicRobustness(1, [{ name: 'a', value: Number.NaN }]));
  });
});
