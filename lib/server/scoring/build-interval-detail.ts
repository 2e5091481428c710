import 'server-only';
import type { IntervalScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import { ONE_SIGMA_COVERAGE } from '@/scoring/quantile-score';

const maxPes = 500;
/** True μ range of the FAIR-Universe pseudo-experiments, in equal bins. */
const muRange = [0.1, 3] as const;
const muBins = 6;

/**
 * Plot data of one split of an interval submission: the submitted intervals of its pseudo-experiments (all of
 * them up to 500, else 500 evenly spaced in truth order: deterministic), with true μ, and coverage and mean width
 * per bin of true μ (6 equal bins of [0.1, 3]; a μ outside the range counts in the nearest edge bin; an empty bin
 * has count 0 and null coverage and width).
 */
export function buildIntervalDetail(pes: { peIds: Float64Array; muTrue: Float64Array; muHat: Float64Array; p16: Float64Array; p84: Float64Array }): IntervalScoreDetail {
  const n = pes.peIds.length;
  const shown = n <= maxPes ? Array.from({ length: n }, (_, k) => k) : Array.from({ length: maxPes }, (_, k) => Math.floor((k * n) / maxPes));
  const pick = (values: Float64Array) => shown.map((i) => values[i] as number);

  const edges = Array.from({ length: muBins + 1 }, (_, k) => muRange[0] + ((muRange[1] - muRange[0]) * k) / muBins);
  const count = new Array<number>(muBins).fill(0);
  const covered = new Array<number>(muBins).fill(0);
  const width = new Array<number>(muBins).fill(0);
  for (let i = 0; i < n; i++) {
    const mu = pes.muTrue[i] as number;
    const lo = pes.p16[i] as number;
    const hi = pes.p84[i] as number;
    const bin = Math.min(muBins - 1, Math.max(0, Math.floor(((mu - muRange[0]) / (muRange[1] - muRange[0])) * muBins)));
    count[bin] = (count[bin] as number) + 1;
    if (lo <= mu && mu <= hi) covered[bin] = (covered[bin] as number) + 1;
    width[bin] = (width[bin] as number) + Math.abs(hi - lo);
  }
  return {
    kind: 'interval',
    pe: { peId: pick(pes.peIds), muHat: pick(pes.muHat), p16: pick(pes.p16), p84: pick(pes.p84), muTrue: pick(pes.muTrue) },
    coverageByMu: {
      edges,
      coverage: count.map((c, k) => (c > 0 ? (covered[k] as number) / c : null)),
      meanWidth: count.map((c, k) => (c > 0 ? (width[k] as number) / c : null)),
      count,
    },
    targetCoverage: ONE_SIGMA_COVERAGE,
  };
}
