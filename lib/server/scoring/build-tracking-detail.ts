import 'server-only';
import type { TrackingBins, TrackingScoreDetail } from '@/lib/shared/dto/score-detail-dto';
import type { TrackmlEventResults, TrackmlMatchDetails } from '@/scoring/trackml-score';
import type { TrackTruth } from '../datasets/load-track-truth';

/** pT bin edges (GeV): fine where the TrackML weights change (0.5 … 3 GeV); under- and overflow go to the edge bins. */
export const TRACKING_PT_EDGES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1, 1.5, 2, 3, 5, 10, 20] as const;
/** η bin edges: 0.5 wide over [−4, 4] (TrackML's acceptance). */
export const TRACKING_ETA_EDGES = Array.from({ length: 17 }, (_, k) => -4 + 0.5 * k);
/** Most hits of the event display; larger events are shown by an even subsample. */
const maxDisplayHits = 8000;

/**
 * Plot data of one split of a tracking submission: the score, efficiency and fake rate of each event of the split,
 * efficiency and fake rate per bin of particle pT and η (candidates and fakes binned by their majority particle; tracks
 * whose majority is noise are in no bin), and the first event's hits with the submitted track of each as a colour
 * index. Pure; `events` are positions into the event results (the split's events, ascending id).
 */
export function buildTrackingDetail(input: {
  truth: TrackTruth;
  results: TrackmlEventResults & { details: TrackmlMatchDetails };
  trackIds: ArrayLike<number>;
  events: readonly number[];
}): TrackingScoreDetail {
  const { truth, results, trackIds, events } = input;
  const { prepared, particlePt, particleEta } = truth;
  const inSplit = new Uint8Array(results.eventIds.length);
  for (const e of events) inSplit[e] = 1;
  const byPt = emptyBins([...TRACKING_PT_EDGES]);
  const byEta = emptyBins(TRACKING_ETA_EDGES);
  for (const e of events) {
    const start = prepared.particleStart[e] as number;
    const end = prepared.particleStart[e + 1] as number;
    // Particle 0 of each event is its noise; reconstructable particles have at least 4 hits.
    for (let g = start + 1; g < end; g++) {
      if ((prepared.particleHits[g] as number) < 4) continue;
      const isMatched = results.details.particleMatched[g] === 1;
      for (const [bins, value] of [[byPt, particlePt[g] as number], [byEta, particleEta[g] as number]] as const) {
        const b = binOf(bins.edges, value);
        bins.reconstructable[b] = (bins.reconstructable[b] as number) + 1;
        if (isMatched) bins.matched[b] = (bins.matched[b] as number) + 1;
      }
    }
  }
  const { candidateEvent, candidateParticle, candidateGood } = results.details;
  for (let k = 0; k < candidateEvent.length; k++) {
    const e = candidateEvent[k] as number;
    if (!inSplit[e]) continue;
    const g = candidateParticle[k] as number;
    if (g === (prepared.particleStart[e] as number)) continue; // noise majority: no particle to bin by
    for (const [bins, value] of [[byPt, particlePt[g] as number], [byEta, particleEta[g] as number]] as const) {
      const b = binOf(bins.edges, value);
      bins.candidates[b] = (bins.candidates[b] as number) + 1;
      if (candidateGood[k] !== 1) bins.fakes[b] = (bins.fakes[b] as number) + 1;
    }
  }
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  return {
    kind: 'tracking',
    events: {
      eventId: events.map((e) => results.eventIds[e] as number),
      score: events.map((e) => results.score[e] as number),
      efficiency: events.map((e) => ratio(results.matched[e] as number, results.reconstructable[e] as number)),
      fakeRate: events.map((e) => ratio(results.fakes[e] as number, results.candidates[e] as number)),
    },
    byPt,
    byEta,
    display: events.length > 0 ? eventDisplay(truth, trackIds, events[0] as number) : null,
  };
}

function emptyBins(edges: number[]): TrackingBins {
  const n = edges.length - 1;
  return { edges, reconstructable: new Array<number>(n).fill(0), matched: new Array<number>(n).fill(0), candidates: new Array<number>(n).fill(0), fakes: new Array<number>(n).fill(0) };
}

function binOf(edges: readonly number[], value: number): number {
  let b = 0;
  while (b < edges.length - 2 && value >= (edges[b + 1] as number)) b++;
  return b;
}

function eventDisplay(truth: TrackTruth, trackIds: ArrayLike<number>, e: number): NonNullable<TrackingScoreDetail['display']> {
  const { prepared } = truth;
  const from = prepared.eventStart[e] as number;
  const to = prepared.eventStart[e + 1] as number;
  const hits = to - from;
  const step = Math.max(1, Math.ceil(hits / maxDisplayHits));
  const colourOf = new Map<number, number>();
  const x: number[] = [];
  const y: number[] = [];
  const z: number[] = [];
  const track: number[] = [];
  const round = (v: number) => Math.round(v * 10) / 10;
  for (let g = from; g < to; g += step) {
    const row = prepared.hitRow[g] as number;
    const id = trackIds[row] as number;
    let colour = colourOf.get(id);
    if (colour === undefined) colourOf.set(id, (colour = colourOf.size));
    x.push(round(truth.x[row] as number));
    y.push(round(truth.y[row] as number));
    z.push(round(truth.z[row] as number));
    track.push(colour);
  }
  return { eventId: prepared.eventIds[e] as number, x, y, z, track, hits, tracks: colourOf.size };
}
