import { describe, expect, it } from 'vitest';
import { ams } from './ams';
import { asimovSignificance } from './asimov-significance';
import { LOG_LOSS_EPSILON } from './log-loss';
import { binaryMetricIds, computeBinaryMetrics } from './registry';

describe('all binary metrics on 10 million events', () => {
  it('computes every metric exactly where the answer is known in closed form (memory: typed arrays only)', () => {
    // K background events with scores k/K and K signal events with scores (k + 0.5)/K, interleaved in the rows:
    // the sorted scores alternate signal, background, so every value below has a closed form.
    const K = 5_000_000;
    const n = 2 * K;
    const labels = new Uint8Array(n);
    const scores = new Float64Array(n);
    const weights = new Float64Array(n).fill(1);
    for (let k = 0; k < K; k++) {
      scores[2 * k] = k / K;
      labels[2 * k + 1] = 1;
      scores[2 * k + 1] = (k + 0.5) / K;
    }
    const metrics = computeBinaryMetrics({ labels, scores, weights }, binaryMetricIds);

    // Each signal outscores the backgrounds k' ≤ k: AUC = Σ (k + 1) / K² = (K + 1) / (2K).
    expect(Math.abs(metrics.auc / ((K + 1) / (2 * K)) - 1)).toBeLessThan(1e-12);
    // After m signals, m − 1 backgrounds have passed; TPR = ε exactly at m = εK, FPR = ε there (both conventions).
    for (const e of [0.3, 0.5, 0.8] as const) {
      expect(metrics[`rejection_at_${e}`]).toBe(1 / ((e * K) / K));
      expect(metrics[`rejection_interp_at_${e}`]).toBe(1 / ((e * K) / K));
    }
    // score ≥ 0.5 selects the top K/2 signals and K/2 backgrounds: accuracy 1/2.
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.ams).toBe(ams(K / 2, K / 2));
    expect(metrics.significance_asimov).toBe(asimovSignificance(K / 2, K / 2));
    // AMS(m, m − 1) grows with m: the best cut selects everything but the lowest background.
    expect(metrics.ams_best).toBe(ams(K, K - 1));

    let loss = 0;
    for (let k = 0; k < K; k++) {
      loss -= Math.log(1 - k / K);
      loss -= Math.log(Math.max((k + 0.5) / K, LOG_LOSS_EPSILON));
    }
    expect(Math.abs(metrics.log_loss / (loss / n) - 1)).toBeLessThan(1e-9);
  });
});
