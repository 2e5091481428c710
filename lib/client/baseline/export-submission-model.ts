import type * as TF from '@tensorflow/tfjs';
import { type TfjsModelArtifacts, zipTfjsModel } from '@/lib/shared/models/zip-tfjs-model';
import type { Standardiser } from './standardise';

type Tf = typeof TF;

/**
 * The trained baseline as a model a model phase runs on its hidden test sets: raw features in (the challenge's
 * input columns, in order), a probability out. The standardisation becomes a fixed first dense layer (diagonal
 * kernel 1/σ, bias −μ/σ), the trained layers follow with their weights, and a sigmoid turns the logit into the
 * score, so the server computes exactly what the browser predicts. Needs a standardiser without missing-value
 * indicators (model phases train with every value as given).
 */
export function buildSubmissionModel(tf: Tf, trained: TF.LayersModel, standardiser: Standardiser): TF.Sequential {
  if (standardiser.indicatorFeatures.length > 0) {
    throw new Error('A model for a model phase cannot carry missing-value indicator inputs; train it without a missing-value sentinel.');
  }
  const width = standardiser.featureNames.length;
  const model = tf.sequential();
  const scale = new Float32Array(width * width);
  const shift = new Float32Array(width);
  for (let c = 0; c < width; c++) {
    const std = standardiser.std[c] ?? 1;
    scale[c * width + c] = 1 / std;
    shift[c] = -(standardiser.mean[c] ?? 0) / std;
  }
  model.add(tf.layers.dense({ units: width, inputShape: [width], trainable: false, name: 'standardise', weights: [tf.tensor2d(scale, [width, width]), tf.tensor1d(shift)] }));
  for (const layer of trained.layers) {
    const config = layer.getConfig() as Record<string, unknown>;
    model.add(tf.layers.dense({ units: config.units as number, activation: config.activation as 'relu', weights: layer.getWeights().map((w) => w.clone()) }));
  }
  model.add(tf.layers.activation({ activation: 'sigmoid', name: 'probability' }));
  return model;
}

/** The submission model saved as the zip a model phase takes (model.json + model.weights.bin). */
export async function zipSubmissionModel(tf: Tf, model: TF.LayersModel, metadata: Record<string, unknown>): Promise<Uint8Array> {
  let saved: TfjsModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts as TfjsModelArtifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!saved) throw new Error('TF.js did not hand over the model to save.');
  return zipTfjsModel({ ...(saved as TfjsModelArtifacts), userDefinedMetadata: metadata });
}
