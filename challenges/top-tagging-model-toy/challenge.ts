import { defineChallenge } from '../schema';
import { readChallengePages } from '../read-challenge-pages';

/** The model inputs: the 15 substructure variables and the jet four-vector, in this order. */
export const topTaggingModelInputColumns = [
  'fjet_C2',
  'fjet_D2',
  'fjet_ECF1',
  'fjet_ECF2',
  'fjet_ECF3',
  'fjet_L2',
  'fjet_L3',
  'fjet_Qw',
  'fjet_Split12',
  'fjet_Split23',
  'fjet_Tau1_wta',
  'fjet_Tau2_wta',
  'fjet_Tau3_wta',
  'fjet_Tau4_wta',
  'fjet_ThrustMaj',
  'fjet_pt',
  'fjet_eta',
  'fjet_phi',
  'fjet_m',
];

export default defineChallenge({
  slug: 'top-tagging-model-toy',
  revision: 1,
  title: 'Top tagging toy, model track: submit the tagger, not its scores',
  summary:
    'The same boosted-top task, but you upload the trained model (ONNX or TF.js) and the platform runs it on test jets nobody downloads, and on a detector variation that exists only on the server. Ranked by background rejection at 50 % signal efficiency.',
  task: 'binary-classification',
  dataset: { id: 'top-tagging-toy', version: '1.0.0-models' },
  metrics: [
    { id: 'rejection_at_0.5', primary: true, precision: 1 },
    { id: 'rejection_at_0.8', precision: 2 },
    { id: 'auc', precision: 4 },
  ],
  scoring: {
    variations: [
      { name: 'ces_up', group: 'cluster', pairedWith: 'ces_down', label: 'Cluster energy scale +1 %' },
      { name: 'ces_down', group: 'cluster', pairedWith: 'ces_up', label: 'Cluster energy scale −1 %' },
      { name: 'cer', group: 'cluster', label: 'Cluster energy resolution' },
      { name: 'cpos', group: 'cluster', label: 'Cluster position' },
      { name: 'hidden_ces', group: 'hidden', label: 'Hidden detector variation (server only)', serverOnly: true },
    ],
  },
  model: { inputColumns: topTaggingModelInputColumns },
  splits: { publicFraction: 0.5, seed: 20_260_104 },
  phases: [
    {
      key: 'models',
      title: 'Model phase',
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: null,
      maxPerDay: 10,
      maxTotal: 100,
      submissions: 'models',
      modelLimits: { maxSizeBytes: 100 * 1024 * 1024, timeLimitSeconds: 120, memoryLimitMb: 1024, batchSize: 8192 },
    },
  ],
  pages: readChallengePages('top-tagging-model-toy'),
});
