import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultModelSettings } from './model-settings';
import { buildModel, predictScores, trainModel } from './train-model';
import { makeRandom, type LabelledRows } from './training-set';

function rows(n: number, seed: number): LabelledRows {
  const random = makeRandom(seed);
  const data = new Float32Array(n * 3);
  const labels = new Uint8Array(n);
  const weights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const label = random() < 0.3 ? 1 : 0;
    labels[i] = label;
    weights[i] = label ? 0.01 : 1;
    data[i * 3] = (label ? 1 : -1) + (random() - 0.5) * 2;
    data[i * 3 + 1] = random() - 0.5;
    data[i * 3 + 2] = (label ? 0.5 : -0.5) + (random() - 0.5) * 3;
  }
  return { x: { data, rows: n, cols: 3 }, labels, weights };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the baseline training loop (same code as the browser worker)', () => {
  it('learns a separable toy problem: validation AUC rises well above a random guess', async () => {
    const settings = { ...defaultModelSettings, hiddenLayers: [16], epochs: 4, batchSize: 64, learningRate: 0.01 };
    const model = buildModel(tf, 3, settings);
    const reports = await trainModel(tf, model, rows(2000, 1), rows(500, 2), settings, {});
    expect(reports).toHaveLength(4);
    expect(reports.at(-1)?.validationAuc).toBeGreaterThan(0.85);
    expect(reports.every((r) => Number.isFinite(r.loss) && r.samplesPerSecond > 0)).toBe(true);
    const scores = predictScores(tf, model, rows(10, 3).x);
    expect(Array.from(scores).every((s) => s >= 0 && s <= 1)).toBe(true);
  });

  it('stops between batches when asked, keeping the epochs finished so far', async () => {
    const settings = { ...defaultModelSettings, hiddenLayers: [8], epochs: 5, batchSize: 32 };
    let seen = 0;
    const reports = await trainModel(tf, buildModel(tf, 3, settings), rows(400, 4), rows(100, 5), settings, {
      onEpoch: () => {
        seen++;
      },
      shouldStop: () => seen >= 2,
    });
    expect(reports).toHaveLength(2);
  });
});
