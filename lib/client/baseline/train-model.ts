import type * as TF from '@tensorflow/tfjs';
import { rocAuc } from '@/scoring/roc-auc';
import type { ModelSettings } from './model-settings';
import type { Matrix } from './standardise';
import { balancedClassWeights, makeRandom, type LabelledRows } from './training-set';

type Tf = typeof TF;

export type EpochReport = { epoch: number; loss: number; validationAuc: number; samplesPerSecond: number; durationMs: number };

/**
 * The baseline network: dense layers with the chosen activation and one logit output (the sigmoid is applied when
 * predicting, and inside the loss, which is more stable than a sigmoid layer). Same code in the Web Worker and in
 * Node (bench), with the TF.js namespace passed in so neither side bundles the other's backend.
 */
export function buildModel(tf: Tf, inputWidth: number, settings: ModelSettings): TF.Sequential {
  const model = tf.sequential();
  settings.hiddenLayers.forEach((units, index) => {
    model.add(
      tf.layers.dense({
        units,
        activation: settings.activation,
        kernelInitializer: 'glorotUniform',
        ...(index === 0 ? { inputShape: [inputWidth] } : {}),
      }),
    );
  });
  model.add(tf.layers.dense({ units: 1, activation: 'linear' }));
  return model;
}

/** Scores in [0, 1] for every row, computed in batches to bound memory. */
export function predictScores(tf: Tf, model: TF.Sequential, x: Matrix, batchSize = 4096): Float32Array {
  const out = new Float32Array(x.rows);
  for (let start = 0; start < x.rows; start += batchSize) {
    const rows = Math.min(batchSize, x.rows - start);
    const values = tf.tidy(() => {
      const input = tf.tensor2d(x.data.subarray(start * x.cols, (start + rows) * x.cols), [rows, x.cols]);
      return tf.sigmoid(model.predict(input) as TF.Tensor).dataSync();
    });
    out.set(values, start);
  }
  return out;
}

/** Weighted validation AUC with the physics weights, computed by the same scoring code as the server. */
export function validationAuc(scores: Float32Array, validation: LabelledRows): number {
  return rocAuc({ labels: validation.labels, scores: Float64Array.from(scores), weights: Float64Array.from(validation.weights) });
}

/**
 * Mini-batch training with Adam on the weighted sigmoid cross-entropy, one epoch at a time, so that the caller can
 * report progress and stop between batches. Event weights (classes balanced) when `useWeights`, else all 1.
 */
export async function trainModel(
  tf: Tf,
  model: TF.Sequential,
  train: LabelledRows,
  validation: LabelledRows,
  settings: ModelSettings,
  hooks: { onEpoch?: (report: EpochReport) => void; shouldStop?: () => boolean; seed?: number },
): Promise<EpochReport[]> {
  const optimizer = tf.train.adam(settings.learningRate);
  const sampleWeights = settings.useWeights ? balancedClassWeights(train.labels, train.weights) : new Float32Array(train.labels.length).fill(1);
  const { rows, cols } = train.x;
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const random = makeRandom(hooks.seed ?? 1);
  const reports: EpochReport[] = [];
  const batchX = new Float32Array(settings.batchSize * cols);
  const batchY = new Float32Array(settings.batchSize);
  const batchW = new Float32Array(settings.batchSize);
  for (let epoch = 1; epoch <= settings.epochs; epoch++) {
    const started = performance.now();
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = t;
    }
    let lossSum = 0;
    let batches = 0;
    for (let start = 0; start < rows; start += settings.batchSize) {
      if (hooks.shouldStop?.()) return reports;
      const n = Math.min(settings.batchSize, rows - start);
      for (let r = 0; r < n; r++) {
        const source = order[start + r] ?? 0;
        batchX.set(train.x.data.subarray(source * cols, (source + 1) * cols), r * cols);
        batchY[r] = train.labels[source] ?? 0;
        batchW[r] = sampleWeights[source] ?? 0;
      }
      const loss = tf.tidy(() => {
        const xs = tf.tensor2d(batchX.subarray(0, n * cols), [n, cols]);
        const ys = tf.tensor2d(batchY.subarray(0, n), [n, 1]);
        const ws = tf.tensor2d(batchW.subarray(0, n), [n, 1]);
        const cost = optimizer.minimize(() => tf.losses.sigmoidCrossEntropy(ys, model.apply(xs, { training: true }) as TF.Tensor, ws) as TF.Scalar, true);
        return cost ? cost.dataSync()[0] ?? 0 : 0;
      });
      lossSum += loss;
      batches++;
      // Let the worker read a "stop" message between batches.
      if (batches % 50 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const durationMs = performance.now() - started;
    const report = {
      epoch,
      loss: lossSum / Math.max(1, batches),
      validationAuc: validationAuc(predictScores(tf, model, validation.x), validation),
      samplesPerSecond: rows / (durationMs / 1000),
      durationMs,
    };
    reports.push(report);
    hooks.onEpoch?.(report);
  }
  return reports;
}
