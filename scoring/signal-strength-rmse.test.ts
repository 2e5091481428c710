import { describe, expect, it } from 'vitest';
import { signalStrengthRmseTerm } from './signal-strength-rmse';

describe('signalStrengthRmseTerm', () => {
  it('is |μ̂ − μ| when the stated uncertainty matches the error (TSDoc example)', () => {
    expect(signalStrengthRmseTerm(1, 1.3, 0.3)).toBeCloseTo(0.3, 14);
  });

  it('adds the mismatch between (μ̂ − μ)² and Δμ̂²', () => {
    expect(signalStrengthRmseTerm(1, 1, 0.5)).toBeCloseTo(0.25, 15);
    expect(signalStrengthRmseTerm(2, 1, 0)).toBeCloseTo(Math.sqrt(2), 15);
  });
});
