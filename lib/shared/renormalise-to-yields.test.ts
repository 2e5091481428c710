import { describe, expect, it } from 'vitest';
import { renormaliseToYields } from './renormalise-to-yields';

describe('renormaliseToYields', () => {
  it('makes each class sum to its expected yield while keeping the weight shape within the class', () => {
    const w = renormaliseToYields(Uint8Array.from([1, 1, 0, 0, 0]), Float64Array.from([1, 3, 2, 2, 4]), { signal: 8, background: 100 });
    expect(Array.from(w)).toEqual([2, 6, 25, 25, 50]);
  });

  it('keeps a class with zero total weight at zero instead of dividing by zero', () => {
    const w = renormaliseToYields(Uint8Array.from([1, 0]), Float64Array.from([0, 5]), { signal: 8, background: 10 });
    expect(Array.from(w)).toEqual([0, 10]);
  });
});
