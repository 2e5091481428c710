import { describe, expect, it } from 'vitest';
import { signalStrengthMaeTerm } from './signal-strength-mae';

describe('signalStrengthMaeTerm', () => {
  it('is |μ̂ − μ| + ||μ̂ − μ| − Δμ̂| (TSDoc example)', () => {
    expect(signalStrengthMaeTerm(1, 1.3, 0.1)).toBeCloseTo(0.5, 14);
  });

  it('charges an overstated uncertainty as much as an understated one', () => {
    expect(signalStrengthMaeTerm(1, 1, 0.2)).toBeCloseTo(0.2, 15);
    expect(signalStrengthMaeTerm(1, 1.2, 0)).toBeCloseTo(0.4, 15);
  });
});
