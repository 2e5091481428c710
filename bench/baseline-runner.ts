import type * as TF from '@tensorflow/tfjs';
import { defaultModelSettings } from '@/lib/client/baseline/model-settings';
import { buildModel, trainModel } from '@/lib/client/baseline/train-model';
import { makeBenchRows } from './baseline-data';

export type BackendResult = { backend: string; samplesPerSecondByEpoch: number[]; samplesPerSecond: number; validationAuc: number } | { backend: string; error: string };

/**
 * Trains the default baseline model with the product's own training loop on synthetic rows and reports samples/s
 * per epoch; the figure compared is the last epoch's (the first one includes kernel compilation and warm-up).
 */
export async function runBaselineBackend(tf: typeof TF, backend: string, events: number, features: number, epochs: number): Promise<BackendResult> {
  try {
    if (!(await tf.setBackend(backend))) return { backend, error: `backend ${backend} is not available` };
    await tf.ready();
    const train = makeBenchRows(events, features, 1);
    const validation = makeBenchRows(Math.min(20_000, events), features, 2);
    const settings = { ...defaultModelSettings, epochs };
    const model = buildModel(tf, features, settings);
    const reports = await trainModel(tf, model, train, validation, settings, { seed: 1 });
    model.dispose();
    const rates = reports.map((r) => Math.round(r.samplesPerSecond));
    return { backend, samplesPerSecondByEpoch: rates, samplesPerSecond: rates.at(-1) ?? 0, validationAuc: reports.at(-1)?.validationAuc ?? 0 };
  } catch (error) {
    return { backend, error: error instanceof Error ? error.message : String(error) };
  }
}
