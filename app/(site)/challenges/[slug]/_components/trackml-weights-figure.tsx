import { LineChart } from '@/app/_components/line-chart';
import { trackmlOrderWeight, trackmlPtWeight } from '@/scoring/trackml-weights';

const lengths = [
  { hits: 5, color: '#b42318' },
  { hits: 10, color: '#175cd3' },
  { hits: 16, color: '#067647' },
] as const;

/**
 * The published TrackML hit weights, computed by the scoring library itself: the order weight of each hit along tracks
 * of 5, 10 and 16 hits (each track's weights sum to 1) and the pT weight of a particle.
 */
export function TrackmlWeightsFigure() {
  const order = lengths.map(({ hits, color }) => ({
    label: `${hits} hits`,
    color,
    points: Array.from({ length: hits }, (_, i) => [(i + 1) / hits, trackmlOrderWeight(i, hits) * hits] as [number, number]),
  }));
  const pt = [{ label: 'w_pT', color: '#175cd3', points: Array.from({ length: 81 }, (_, k) => [k * 0.05, trackmlPtWeight(k * 0.05)] as [number, number]) }];
  return (
    <div className="charts" data-testid="trackml-weights-figure">
      <LineChart
        series={order}
        xLabel="position along the track (hit number / hits)"
        yLabel="order weight × hits"
        yDomain={[0, 2]}
        xDomain={[0, 1]}
        testId="trackml-order-weights"
      />
      <LineChart series={pt} xLabel="particle pT [GeV]" yLabel="pT weight" yDomain={[0, 1.05]} xDomain={[0, 4]} testId="trackml-pt-weight" />
    </div>
  );
}
