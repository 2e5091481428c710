import { defineChallenge } from '../schema';
import { readChallengePages } from '../read-challenge-pages';

export default defineChallenge({
  slug: 'higgs-tautau-toy',
  revision: 1,
  title: 'H→ττ toy: find the Higgs in lepton + hadronic-tau events',
  summary:
    'Separate H→ττ signal from Z→ττ and tt̄ backgrounds in a generated toy of the HiggsML 2014 lep-had channel. Ranked by the best approximate median significance (AMS).',
  task: 'binary-classification',
  dataset: { id: 'higgs-tautau-toy', version: '1.0.0' },
  metrics: [
    { id: 'ams_best', primary: true, precision: 4 },
    { id: 'auc', precision: 4 },
  ],
  splits: { publicFraction: 0.3, seed: 20_140_512 },
  phases: [
    {
      key: 'open',
      title: 'Open phase',
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: null,
      maxPerDay: 20,
    },
  ],
  pages: readChallengePages('higgs-tautau-toy'),
});
