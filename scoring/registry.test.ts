import { describe, expect, it } from 'vitest';
import { amsBest } from './ams-best';
import { computeBinaryMetrics, getMetric, isMetricId, metricRegistry } from './registry';
import { rocAuc } from './roc-auc';

const input = {
  labels: Uint8Array.of(1, 0, 1, 0, 1, 0),
  scores: Float64Array.of(0.9, 0.8, 0.7, 0.3, 0.3, 0.1),
  weights: Float64Array.of(2, 1, 0.5, 4, 1, 3),
};

describe('metric registry', () => {
  it('gives every metric an id equal to its key and a sort direction', () => {
    for (const [key, metric] of Object.entries(metricRegistry)) {
      expect(metric.id).toBe(key);
      expect(['maximize', 'minimize']).toContain(metric.direction);
    }
  });

  it('computes all requested metrics from one shared ROC, equal to the single-metric functions', () => {
    expect(computeBinaryMetrics(input, ['auc', 'ams_best'])).toEqual({ auc: rocAuc(input), ams_best: amsBest(input) });
    expect(getMetric('auc').compute(input)).toBe(rocAuc(input));
    expect(getMetric('ams_best').compute(input)).toBe(amsBest(input));
  });

  it('returns only the requested metrics', () => {
    expect(Object.keys(computeBinaryMetrics(input, ['ams_best']))).toEqual(['ams_best']);
  });

  it('rejects an unknown metric id, naming the known ids', () => {
    expect(() => getMetric('f1')).toThrow('Unknown metric "f1"; expected one of: auc, ams_best.');
    expect(isMetricId('auc')).toBe(true);
    expect(isMetricId('toString')).toBe(false);
  });

  it('validates the input before computing any metric', () => {
    expect(() => computeBinaryMetrics({ labels: Uint8Array.of(1), scores: Float64Array.of(0) }, ['auc'])).toThrow(
      expect.objectContaining({ code: 'SINGLE_CLASS' }),
    );
  });
});
