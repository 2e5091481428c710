import { defineChallenge } from '../schema';
import { readChallengePages } from '../read-challenge-pages';

export default defineChallenge({
  slug: 'higgs-signal-strength-toy',
  revision: 1,
  title: 'H→ττ signal strength toy: measure μ with honest intervals',
  summary:
    'Estimate the Higgs signal strength μ with a 68.27 % interval in each of 200 pseudo-experiments of a generated H→ττ toy, under hidden detector and normalisation nuisances. Ranked by the quantile score of the FAIR-Universe HiggsML Uncertainty Challenge.',
  task: 'interval-estimation',
  dataset: { id: 'higgs-signal-strength-toy', version: '1.0.0' },
  metrics: [
    { id: 'quantile_score', primary: true, precision: 3 },
    { id: 'coverage', precision: 3 },
    { id: 'interval_width', precision: 3 },
  ],
  scoring: { bootstrapReplicas: 1000 },
  splits: { publicFraction: 0.5, seed: 20_241_002 },
  phases: [
    {
      key: 'open',
      title: 'Open phase',
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: null,
      maxPerDay: 5,
      maxTotal: 100,
    },
  ],
  pages: readChallengePages('higgs-signal-strength-toy'),
});
