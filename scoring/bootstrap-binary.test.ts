import { describe, expect, it } from 'vitest';
import { bootstrapBinaryMetrics, mergeBinaryBootstrapResults } from './bootstrap-binary';
import { drawResampleCounts, replicaGenerator, splitStreamKey } from './bootstrap-resampling';
import { percentile } from './percentile';
import { binaryMetricIds, computeBinaryMetrics } from './registry';
import type { BinaryScoringInput } from './types';

function makeInput(n: number, seed: number): BinaryScoringInput & { classes: Uint8Array } {
  let state = seed;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const labels = new Uint8Array(n);
  const scores = new Float64Array(n);
  const weights = new Float64Array(n);
  const classes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = next() < 0.4 ? 1 : 0;
    labels[i] = label;
    scores[i] = Math.round(Math.min(1, Math.max(0, 0.35 + 0.3 * label + (next() - 0.5) * 0.6)) * 50) / 50; // ties
    weights[i] = next() < 0.1 ? 0 : Math.round((0.2 + 2 * next()) * 1000) / 1000;
    classes[i] = next() < 0.4 ? 1 : 0;
  }
  return { labels, scores, weights, classes };
}

/** The resampled data set written out: row i repeated counts[i] times. */
function expand(input: BinaryScoringInput, counts: Uint16Array, classes: Uint8Array) {
  const labels: number[] = [];
  const scores: number[] = [];
  const weights: number[] = [];
  const cls: number[] = [];
  counts.forEach((c, i) => {
    for (let k = 0; k < c; k++) {
      labels.push(input.labels[i] as number);
      scores.push(input.scores[i] as number);
      weights.push((input.weights as Float64Array)[i] as number);
      cls.push(classes[i] as number);
    }
  });
  return {
    input: { labels: Uint8Array.from(labels), scores: Float64Array.from(scores), weights: Float64Array.from(weights) },
    classes: Uint8Array.from(cls),
  };
}

function expectClose(actual: number, expected: number, what: string) {
  if (actual === expected) return;
  const relative = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  if (!(relative < 1e-12)) throw new Error(`${what}: ${actual} vs ${expected} (relative ${relative})`);
}

const options = { seed: 20140915, splitKey: 'public', replicas: 40 };

describe('bootstrapBinaryMetrics', () => {
  const data = makeInput(300, 1);
  const { classes, ...input } = data;

  it('reports the full-sample values of computeBinaryMetrics', () => {
    const params = { threshold: 0.6, backgroundRelativeUncertainty: 0.1 };
    const result = bootstrapBinaryMetrics(input, binaryMetricIds, { ...options, params });
    expect(result.values).toEqual(computeBinaryMetrics(input, binaryMetricIds, params));
  });

  it('gives each replica the metrics of the resampled events (rows repeated by the shared counts)', () => {
    for (const params of [{ threshold: 0.55, backgroundRelativeUncertainty: 0.2 }, { classes }]) {
      const result = bootstrapBinaryMetrics(input, binaryMetricIds, { ...options, replicas: 5, params });
      expect(result.redrawnReplicas).toEqual([]);
      for (let replica = 0; replica < 5; replica++) {
        const counts = drawResampleCounts(replicaGenerator(splitStreamKey(options.seed, options.splitKey), replica), new Uint16Array(300));
        const expanded = expand(input, counts, classes);
        const direct = computeBinaryMetrics(expanded.input, binaryMetricIds, 'classes' in params ? { classes: expanded.classes } : params);
        for (const id of binaryMetricIds) expectClose(result.replicaValues[id][replica] as number, direct[id], `${id} replica ${replica}`);
      }
    }
  });

  it('shares the resampling between submissions: a monotone rescoring has identical replica AUCs (paired)', () => {
    const rescored = { ...input, scores: input.scores.map((s) => Math.exp(3 * s) - 7) };
    const a = bootstrapBinaryMetrics(input, ['auc', 'ams_best'], options);
    const b = bootstrapBinaryMetrics(rescored, ['auc'], options);
    expect(Array.from(b.replicaValues.auc)).toEqual(Array.from(a.replicaValues.auc));
    const otherSplit = bootstrapBinaryMetrics(input, ['auc'], { ...options, splitKey: 'private' });
    expect(Array.from(otherSplit.replicaValues.auc)).not.toEqual(Array.from(a.replicaValues.auc));
  });

  it('gives the same replicas when the range is split into parts and merged (worker threads)', () => {
    const whole = bootstrapBinaryMetrics(input, ['auc', 'rejection_at_0.5'], options);
    const parts = [
      [25, 40],
      [0, 10],
      [10, 25],
    ].map((range) => bootstrapBinaryMetrics(input, ['auc', 'rejection_at_0.5'], { ...options, replicaRange: range as [number, number] }));
    const merged = mergeBinaryBootstrapResults(parts);
    expect(merged.replicaRange).toEqual([0, 40]);
    expect(Array.from(merged.replicaValues.auc)).toEqual(Array.from(whole.replicaValues.auc));
    expect(merged.intervals).toEqual(whole.intervals);
    expect(() => mergeBinaryBootstrapResults(parts.slice(0, 2))).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
  });

  it('reports the 16th and 84th percentiles of the replica values as the interval', () => {
    const result = bootstrapBinaryMetrics(input, ['auc'], options);
    const sorted = Float64Array.from(result.replicaValues.auc).sort();
    expect(result.intervals.auc).toEqual([percentile(sorted, 16), percentile(sorted, 84)]);
    expect(result.intervals.auc[0]).toBeLessThan(result.values.auc);
    expect(result.intervals.auc[1]).toBeGreaterThan(result.values.auc);
  });

  it('never produces NaN on a tiny input: single-class replicas are redrawn, unbounded values stay Infinity', () => {
    const tiny = { labels: Uint8Array.of(1, 0, 0), scores: Float64Array.of(0.9, 0.2, 0.1) };
    const result = bootstrapBinaryMetrics(tiny, binaryMetricIds, { seed: 1, splitKey: 'k', replicas: 50 });
    expect(result.redrawnReplicas.length).toBeGreaterThan(0);
    for (const id of binaryMetricIds) {
      expect(result.replicaValues[id].some((v) => Number.isNaN(v))).toBe(false);
      expect(result.intervals[id].some((v) => Number.isNaN(v))).toBe(false);
    }
    expect(result.values['rejection_at_0.5']).toBe(Infinity);
    expect(result.intervals['rejection_at_0.5']).toEqual([Infinity, Infinity]);
  });

  it('rejects unusable options with typed errors', () => {
    const fails = (o: Partial<typeof options> & { replicaRange?: [number, number] }) =>
      expect(() => bootstrapBinaryMetrics(input, ['auc'], { ...options, ...o })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER' }));
    fails({ replicas: 0 });
    fails({ seed: 0.5 });
    fails({ replicaRange: [5, 5] });
    fails({ replicaRange: [0, 41] });
    expect(() => bootstrapBinaryMetrics(input, ['coverage'], options)).toThrow(RangeError);
  });
});
