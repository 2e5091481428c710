import { describe, expect, it } from 'vitest';
import { Mt19937 } from './mt19937';

describe('Mt19937', () => {
  it("reproduces the reference implementation's first outputs for seed 5489", () => {
    const generator = new Mt19937(5489);
    expect([generator.nextUint32(), generator.nextUint32(), generator.nextUint32()]).toEqual([3499211612, 581869302, 3890346734]);
  });

  it('draws bounded integers in range by masked rejection, without drawing for bound 1', () => {
    const a = new Mt19937(1);
    const b = new Mt19937(1);
    expect(a.nextBelow(1)).toBe(0);
    expect(a.nextUint32()).toBe(b.nextUint32());
    for (let k = 0; k < 1000; k++) {
      const v = a.nextBelow(7);
      expect(v >= 0 && v < 7).toBe(true);
    }
  });

  it('rejects seeds numpy rejects', () => {
    expect(() => new Mt19937(-1)).toThrow(RangeError);
    expect(() => new Mt19937(2 ** 32)).toThrow(RangeError);
    expect(() => new Mt19937(1).nextBelow(0)).toThrow(RangeError);
  });
});
