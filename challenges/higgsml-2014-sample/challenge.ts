import { defineChallenge } from '../schema';
import { readChallengePages } from '../read-challenge-pages';

/**
 * The real-data challenge of the first start: HiggsML 2014 on the 9,998 ATLAS simulated events shipped in
 * `data/` (CC0, CERN Open Data record 328; see data/SOURCE.md), imported at start by scripts/ensure-datasets.ts.
 */
export default defineChallenge({
  slug: 'higgsml-2014-sample',
  revision: 1,
  title: 'HiggsML 2014 on real ATLAS simulation: 9,998 events',
  summary:
    'The ATLAS Higgs Boson Machine Learning Challenge on real, fully simulated ATLAS events (CC0 open data): separate H→ττ from Z→ττ, tt̄ and W backgrounds, ranked by the best AMS. A small sample, so the intervals are wide and the tie groups are large.',
  task: 'binary-classification',
  dataset: { id: 'higgsml-2014', version: '1.0.0-sample' },
  metrics: [
    { id: 'ams_best', primary: true, precision: 3 },
    { id: 'auc', precision: 4 },
  ],
  splits: { publicFraction: 0.3, seed: 20_140_915 },
  phases: [
    {
      key: 'open',
      title: 'Open phase',
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: null,
      maxPerDay: 20,
    },
  ],
  pages: readChallengePages('higgsml-2014-sample'),
});
