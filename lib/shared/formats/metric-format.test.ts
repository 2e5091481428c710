import { describe, expect, it } from 'vitest';
import { formatMetricInterval, formatMetricValue, formatRelativePercent, formatRelativePercentInterval } from './metric-format';

describe('the one score formatter', () => {
  it('writes a metric value at its precision, unbounded values as ∞ / −∞ and a missing one as —', () => {
    expect(formatMetricValue(0.812345, 3)).toBe('0.812');
    expect(formatMetricValue(Infinity, 2)).toBe('∞');
    expect(formatMetricValue(-Infinity, 2)).toBe('−∞');
    expect(formatMetricValue(null, 2)).toBe('—');
    expect(formatMetricValue(undefined, 2)).toBe('—');
    expect(formatMetricValue(Number.NaN, 2)).toBe('—');
  });

  it('writes an interval at the value precision, or nothing without one', () => {
    expect(formatMetricInterval({ ciLow: 1.1, ciHigh: 1.35 }, 4)).toBe('1.1000–1.3500');
    expect(formatMetricInterval({ ciLow: null, ciHigh: 2 }, 4)).toBeNull();
    expect(formatMetricInterval(undefined, 4)).toBeNull();
  });

  it('writes a robustness in percent, never as a bare fraction (4.28 %, not 0.0)', () => {
    expect(formatRelativePercent(0.0428)).toBe('4.28 %');
    expect(formatRelativePercent(0.123)).toBe('12.3 %');
    expect(formatRelativePercent(1.5)).toBe('150 %');
    expect(formatRelativePercent(0)).toBe('0.00 %');
    expect(formatRelativePercent(Infinity)).toBe('∞');
    expect(formatRelativePercent(null)).toBe('—');
    expect(formatRelativePercentInterval({ ciLow: 0.0097, ciHigh: 0.0759 })).toBe('0.97–7.59 %');
    expect(formatRelativePercentInterval({ ciLow: 0.05, ciHigh: Infinity })).toBe('5.00–∞');
    expect(formatRelativePercentInterval({ ciLow: null, ciHigh: null })).toBeNull();
  });
});
