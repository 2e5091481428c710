import type { EpochReport } from './train-model';
import type { ModelSettings } from './model-settings';
import type { Matrix, Standardiser } from './standardise';

export type BackendName = 'wasm' | 'webgl' | 'cpu';
export type BackendChoice = 'auto' | BackendName;

export type TransferRows = { x: Matrix; labels: Uint8Array; weights: Float32Array };

export type WorkerRequest =
  | { type: 'init'; backend: BackendChoice }
  | { type: 'train'; train: TransferRows; validation: TransferRows; settings: ModelSettings; backend: BackendChoice; seed: number }
  | { type: 'stop' }
  | { type: 'predict'; requestId: number; x: Matrix }
  | { type: 'export'; metadata: Record<string, unknown> }
  /** Model phases: the trained network with its standardisation and a sigmoid, zipped as the server takes it. */
  | { type: 'exportSubmission'; requestId: number; standardiser: Standardiser; metadata: Record<string, unknown> }
  /** Raw features through that submission model: exactly what the server's run computes. */
  | { type: 'predictSubmission'; requestId: number; x: Matrix };

export type WorkerResponse =
  | { type: 'backend'; backend: BackendName; note: string | null }
  | { type: 'epoch'; report: EpochReport }
  | { type: 'trained'; wasStopped: boolean; validationScores: Float32Array }
  | { type: 'predicted'; requestId: number; scores: Float32Array }
  | { type: 'exported'; modelJson: string; weights: ArrayBuffer }
  | { type: 'submissionZip'; requestId: number; zip: Uint8Array }
  | { type: 'error'; message: string };
