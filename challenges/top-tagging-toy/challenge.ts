import { defineChallenge } from '../schema';
import { readChallengePages } from '../read-challenge-pages';

export default defineChallenge({
  slug: 'top-tagging-toy',
  revision: 1,
  title: 'Top tagging toy: tell boosted top quarks from QCD jets, robustly',
  summary:
    'Separate hadronically decaying top quarks from light-quark and gluon jets in a generated toy of the ATLAS top-tagging open data. Ranked by the background rejection at 50 % signal efficiency, with its stability under four calorimeter-cluster variations shown beside it.',
  task: 'binary-classification',
  dataset: { id: 'top-tagging-toy', version: '1.0.0' },
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
    ],
  },
  splits: { publicFraction: 0.5, seed: 20_240_718 },
  phases: [
    {
      key: 'development',
      title: 'Development phase',
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: null,
      maxPerDay: 10,
      maxTotal: 100,
    },
  ],
  pages: readChallengePages('top-tagging-toy'),
});
