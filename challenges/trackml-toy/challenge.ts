import { defineChallenge } from '../schema';
import { readChallengePages } from '../read-challenge-pages';

export default defineChallenge({
  slug: 'trackml-toy',
  revision: 1,
  title: 'TrackML toy: connect the hits of charged particles into tracks',
  summary:
    'Assign every hit of a generated silicon-tracker event to a track, as in the TrackML Particle Tracking Challenge: charged particles on helices in a 2 T solenoid, with multiple scattering, inefficiency and noise. Ranked by the TrackML score, the weighted fraction of hits on correctly reconstructed tracks.',
  task: 'track-assignment',
  dataset: { id: 'trackml-toy', version: '1.0.0' },
  metrics: [
    { id: 'trackml_score', primary: true, precision: 4 },
    { id: 'tracking_efficiency', precision: 3 },
    { id: 'tracking_fake_rate', precision: 3 },
  ],
  scoring: { bootstrapReplicas: 200 },
  splits: { publicFraction: 0.5, seed: 20_260_104 },
  phases: [
    {
      key: 'open',
      title: 'Open phase',
      opensAt: '2026-01-01T00:00:00Z',
      closesAt: null,
      maxPerDay: 10,
      maxTotal: 200,
    },
  ],
  pages: readChallengePages('trackml-toy'),
});
