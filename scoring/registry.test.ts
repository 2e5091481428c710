import { describe, expect, it } from 'vitest';
import { accuracy } from './accuracy';
import { ams } from './ams';
import { amsBest } from './ams-best';
import { significanceAsimov } from './asimov-significance';
import { backgroundRejection } from './background-rejection';
import { interpolatedBackgroundRejection } from './background-rejection-interpolated';
import { computeIntervalMetrics } from './interval-metrics';
import { logLoss } from './log-loss';
import {
  binaryMetricIds,
  computeBinaryMetrics,
  describeMetricDirection,
  getBinaryMetric,
  getMetric,
  intervalMetricIds,
  isMetricId,
  metricRegistry,
  orientedValue,
  type BinaryMetricDefinition,
} from './registry';
import { rocAuc } from './roc-auc';

const input = {
  labels: Uint8Array.of(1, 0, 1, 0, 1, 0, 1, 0),
  scores: Float64Array.of(0.9, 0.8, 0.7, 0.3, 0.3, 0.1, 0.6, 0.55),
  weights: Float64Array.of(2, 1, 0.5, 4, 1, 3, 1.5, 2),
};

describe('metric registry', () => {
  it('gives every metric an id equal to its key, a label, a direction and a task', () => {
    for (const [key, metric] of Object.entries(metricRegistry)) {
      expect(metric.id).toBe(key);
      expect(metric.label.length).toBeGreaterThan(0);
      expect(['maximize', 'minimize']).toContain(metric.direction);
      expect(['binary', 'interval', 'tracking']).toContain(metric.task);
    }
  });

  it('lists every binary and interval metric of issue 3 with the direction of the issue', () => {
    expect(binaryMetricIds).toEqual([
      'auc',
      'rejection_at_0.3',
      'rejection_at_0.5',
      'rejection_at_0.8',
      'rejection_interp_at_0.3',
      'rejection_interp_at_0.5',
      'rejection_interp_at_0.8',
      'log_loss',
      'accuracy',
      'ams',
      'ams_best',
      'significance_asimov',
    ]);
    expect(intervalMetricIds).toEqual(['quantile_score', 'coverage', 'interval_width', 'rmse', 'mae']);
    const minimized = Object.values(metricRegistry).filter((m) => m.direction === 'minimize').map((m) => m.id);
    expect(minimized).toEqual(['log_loss', 'coverage', 'interval_width', 'rmse', 'mae', 'tracking_fake_rate']);
    expect(getMetric('coverage').target).toBe(0.6827);
  });

  it('lists the tracking metrics of issue 18, each computed from per-event summaries', () => {
    const tracking = Object.values(metricRegistry).filter((m) => m.task === 'tracking');
    expect(tracking.map((m) => [m.id, m.direction])).toEqual([
      ['trackml_score', 'maximize'],
      ['tracking_efficiency', 'maximize'],
      ['tracking_fake_rate', 'minimize'],
    ]);
    const events = { score: Float64Array.of(1, 0.5), reconstructable: Int32Array.of(4, 4), matched: Int32Array.of(4, 2), candidates: Int32Array.of(4, 4), fakes: Int32Array.of(0, 1) };
    const values = tracking.map((m) => (m.task === 'tracking' ? m.compute(events) : Number.NaN));
    expect(values).toEqual([0.75, 0.75, 0.125]);
  });

  it('computes all binary metrics from one prepared input, equal to the single-metric functions', () => {
    const params = { threshold: 0.5, backgroundRelativeUncertainty: 0.2 };
    const all = computeBinaryMetrics(input, binaryMetricIds, params);
    expect(all.auc).toBe(rocAuc(input));
    expect(all.ams_best).toBe(amsBest(input));
    expect(all['rejection_at_0.5']).toBe(backgroundRejection(input, 0.5));
    expect(all['rejection_interp_at_0.8']).toBe(interpolatedBackgroundRejection(input, 0.8));
    expect(all.log_loss).toBe(logLoss(input));
    expect(all.accuracy).toBe(accuracy(input, params));
    expect(all.significance_asimov).toBe(significanceAsimov(input, params));
    for (const id of binaryMetricIds) {
      const metric = getBinaryMetric(id);
      expect(metric.compute(input, params)).toBe(all[id]);
    }
  });

  it('passes the parameters: threshold, class column, r and bReg change the fixed-selection metrics', () => {
    const base = computeBinaryMetrics(input, ['ams', 'accuracy', 'significance_asimov']);
    // score ≥ 0.5 selects rows 0, 1, 2, 6, 7: s = 2 + 0.5 + 1.5 = 4, b = 1 + 2 = 3.
    expect(base.ams).toBe(ams(4, 3));
    const strict = computeBinaryMetrics(input, ['ams'], { threshold: 0.85 });
    expect(strict.ams).toBe(ams(2, 0));
    const classes = Uint8Array.of(1, 0, 0, 0, 1, 0, 0, 0);
    expect(computeBinaryMetrics(input, ['ams'], { classes }).ams).toBe(ams(3, 0));
    expect(computeBinaryMetrics(input, ['ams'], { bReg: 0 }).ams).toBe(ams(4, 3, 0));
    const uncertain = computeBinaryMetrics(input, ['significance_asimov'], { backgroundRelativeUncertainty: 0.5 });
    expect(uncertain.significance_asimov).toBeLessThan(base.significance_asimov);
  });

  it('returns only the requested metrics, in the requested order', () => {
    expect(Object.keys(computeBinaryMetrics(input, ['ams_best', 'auc']))).toEqual(['ams_best', 'auc']);
  });

  it('rejects an unknown metric id, naming the known ids, and an interval id for a binary input', () => {
    expect(() => getMetric('f1')).toThrow(/^Unknown metric "f1"; expected one of: auc, rejection_at_0.3, .*, mae, trackml_score, tracking_efficiency, tracking_fake_rate\.$/);
    expect(isMetricId('auc')).toBe(true);
    expect(isMetricId('toString')).toBe(false);
    expect(() => computeBinaryMetrics(input, ['coverage'])).toThrow('Metric "coverage" belongs to the interval task');
  });

  it('validates the input and the parameters before computing any metric', () => {
    expect(() => computeBinaryMetrics({ labels: Uint8Array.of(1), scores: Float64Array.of(0) }, ['auc'])).toThrow(
      expect.objectContaining({ code: 'SINGLE_CLASS' }),
    );
    expect(() => computeBinaryMetrics(input, ['ams'], { threshold: Number.NaN })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER' }),
    );
    expect(() => computeBinaryMetrics(input, ['ams'], { classes: Uint8Array.of(1, 0) })).toThrow(/expected 8 classes, found 2/);
  });

  it('computes interval metrics through the registry as computeIntervalMetrics does', () => {
    const interval = {
      muTrue: Float64Array.of(1, 1, 1),
      muHat: Float64Array.of(1.1, 0.8, 1),
      deltaMuHat: Float64Array.of(0.1, 0.1, 0.2),
      p16: Float64Array.of(1, 0.7, 0.9),
      p84: Float64Array.of(1.2, 0.9, 1.1),
    };
    const all = computeIntervalMetrics(interval);
    for (const id of intervalMetricIds) {
      const metric = getMetric(id);
      if (metric.task !== 'interval') throw new Error(`${id} should be an interval metric`);
      expect(metric.compute(interval)).toBe(all[id]);
    }
  });

  it('orients values so that larger is better, coverage by its distance to 0.6827', () => {
    expect(orientedValue(getMetric('auc'), 0.8)).toBe(0.8);
    expect(orientedValue(getMetric('log_loss'), 0.3)).toBe(-0.3);
    expect(orientedValue(getMetric('coverage'), 0.7)).toBeCloseTo(-0.0173, 12);
    expect(orientedValue(getMetric('coverage'), 0.66)).toBeLessThan(orientedValue(getMetric('coverage'), 0.67));
  });

  it('describes each direction in words the orientation agrees with: coverage is best closest to 0.6827, never "lower is better"', () => {
    expect(describeMetricDirection(getMetric('coverage'))).toEqual({ arrow: '→0.6827', text: 'closest to 0.6827 is better' });
    expect(describeMetricDirection(getMetric('auc')).text).toBe('higher is better');
    expect(describeMetricDirection(getMetric('log_loss')).text).toBe('lower is better');
    for (const id of Object.keys(metricRegistry)) {
      const metric = getMetric(id);
      const { text } = describeMetricDirection(metric);
      // The words must rank two values the way orientedValue (the leaderboard's sort) does.
      if (metric.target !== undefined) {
        expect(orientedValue(metric, metric.target), id).toBeGreaterThan(orientedValue(metric, metric.target + 0.1));
        expect(orientedValue(metric, metric.target), id).toBeGreaterThan(orientedValue(metric, metric.target - 0.1));
      } else {
        expect(orientedValue(metric, 2) > orientedValue(metric, 1), id).toBe(text === 'higher is better');
      }
    }
  });

  it('marks the rejections and the significances as possibly infinite (never NaN)', () => {
    const infinite = binaryMetricIds.filter((id) => (metricRegistry[id] as BinaryMetricDefinition).canBeInfinite);
    expect(infinite).toEqual([...binaryMetricIds.filter((id) => id.startsWith('rejection')), 'ams', 'ams_best', 'significance_asimov']);
    const noBackgroundSelected = { labels: Uint8Array.of(1, 0), scores: Float64Array.of(0.9, 0.1) };
    expect(computeBinaryMetrics(noBackgroundSelected, ['significance_asimov']).significance_asimov).toBe(Infinity);
    expect(computeBinaryMetrics(noBackgroundSelected, ['ams', 'ams_best'], { bReg: 0 })).toEqual({ ams: Infinity, ams_best: Infinity });
  });
});
