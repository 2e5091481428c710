/// <reference lib="webworker" />
/**
 * The baseline's Web Worker: TF.js runs here so that the page stays responsive. Backend order for "auto": WASM,
 * then WebGL, then the pure-JS CPU backend; the one in use is reported to the page with the reason for any fallback.
 */
import type * as TF from '@tensorflow/tfjs';
import { buildSubmissionModel, zipSubmissionModel } from './export-submission-model';
import { buildModel, predictScores, trainModel } from './train-model';
import type { BackendChoice, BackendName, WorkerRequest, WorkerResponse } from './worker-protocol';

declare const self: DedicatedWorkerGlobalScope;

let tf: typeof TF | null = null;
let model: TF.Sequential | null = null;
let submissionModel: TF.Sequential | null = null;
let isStopRequested = false;

function post(message: WorkerResponse, transfer: Transferable[] = []) {
  self.postMessage(message, transfer);
}

async function loadTf(choice: BackendChoice): Promise<{ tf: typeof TF; backend: BackendName; note: string | null }> {
  const loaded = tf ?? (await import('@tensorflow/tfjs'));
  tf = loaded;
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  wasm.setWasmPaths('/tfjs-wasm/');
  const order: BackendName[] = choice === 'auto' ? ['wasm', 'webgl', 'cpu'] : [choice, ...(['wasm', 'webgl', 'cpu'] as BackendName[]).filter((b) => b !== choice)];
  const failures: string[] = [];
  for (const backend of order) {
    try {
      if (await loaded.setBackend(backend)) {
        await loaded.ready();
        return { tf: loaded, backend, note: failures.length ? `fell back: ${failures.join('; ')}` : null };
      }
      failures.push(`${backend} is not available here`);
    } catch (error) {
      failures.push(`${backend} failed (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  throw new Error(`No TF.js backend could start: ${failures.join('; ')}`);
}

function describe(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/memory|allocation|OOM/i.test(text)) return `The browser ran out of memory (${text}). Use a smaller subsample, batch or network.`;
  return text;
}

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  try {
    if (request.type === 'stop') {
      isStopRequested = true;
      return;
    }
    if (request.type === 'init') {
      // Loads TF.js and the backend binaries up front, so that training works without the network afterwards.
      const loaded = await loadTf(request.backend);
      post({ type: 'backend', backend: loaded.backend, note: loaded.note });
      return;
    }
    if (request.type === 'train') {
      isStopRequested = false;
      const loaded = await loadTf(request.backend);
      post({ type: 'backend', backend: loaded.backend, note: loaded.note });
      model?.dispose();
      submissionModel?.dispose();
      submissionModel = null;
      model = buildModel(loaded.tf, request.train.x.cols, request.settings);
      const reports = await trainModel(loaded.tf, model, request.train, request.validation, request.settings, {
        seed: request.seed,
        onEpoch: (report) => post({ type: 'epoch', report }),
        shouldStop: () => isStopRequested,
      });
      const validationScores = predictScores(loaded.tf, model, request.validation.x);
      post({ type: 'trained', wasStopped: reports.length < request.settings.epochs, validationScores }, [validationScores.buffer]);
      return;
    }
    if (!tf || !model) throw new Error('Train a model first.');
    if (request.type === 'predict') {
      const scores = predictScores(tf, model, request.x);
      post({ type: 'predicted', requestId: request.requestId, scores }, [scores.buffer]);
      return;
    }
    if (request.type === 'exportSubmission') {
      submissionModel?.dispose();
      submissionModel = buildSubmissionModel(tf, model, request.standardiser);
      const zip = await zipSubmissionModel(tf, submissionModel, { ...request.metadata, generatedBy: `TensorFlow.js ${tf.version.tfjs} (HEP Arena browser baseline)` });
      post({ type: 'submissionZip', requestId: request.requestId, zip }, [zip.buffer as ArrayBuffer]);
      return;
    }
    if (request.type === 'predictSubmission') {
      if (!submissionModel) throw new Error('Submit or download the model first.');
      const trained = submissionModel;
      const loadedTf = tf;
      const scores = new Float32Array(request.x.rows);
      const batch = 4096;
      for (let start = 0; start < request.x.rows; start += batch) {
        const rows = Math.min(batch, request.x.rows - start);
        const values = tf.tidy(() => (trained.predict(loadedTf.tensor2d(request.x.data.subarray(start * request.x.cols, (start + rows) * request.x.cols), [rows, request.x.cols]) as TF.Tensor) as TF.Tensor).dataSync());
        scores.set(values, start);
      }
      post({ type: 'predicted', requestId: request.requestId, scores }, [scores.buffer]);
      return;
    }
    if (request.type === 'export') {
      const metadata = request.metadata;
      await model.save(
        tf.io.withSaveHandler(async (artifacts) => {
          const weights = artifacts.weightData instanceof ArrayBuffer ? artifacts.weightData : new ArrayBuffer(0);
          const modelJson = JSON.stringify({
            format: 'layers-model',
            generatedBy: `TensorFlow.js tfjs-layers v${tf?.version.tfjs ?? '?'} (HEP Arena browser baseline)`,
            modelTopology: artifacts.modelTopology,
            weightsManifest: [{ paths: ['model.weights.bin'], weights: artifacts.weightSpecs }],
            userDefinedMetadata: metadata,
          });
          post({ type: 'exported', modelJson, weights }, [weights]);
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
    }
  } catch (error) {
    post({ type: 'error', message: describe(error) });
  }
};
