import { drawResampleCounts, replicaGenerator, splitStreamKey } from './bootstrap-resampling';
import { ScoringError } from './errors';
import type { TrackmlEventResults } from './trackml-score';

/** Per-event figures of a tracking submission (see `scoreTrackmlEvents`), events in one order. */
export type TrackingEventSummaries = Pick<TrackmlEventResults, 'score' | 'reconstructable' | 'matched' | 'candidates' | 'fakes'>;

/** The tracking metrics of one submission, by registry id. */
export type TrackingMetrics = {
  trackml_score: number;
  tracking_efficiency: number;
  tracking_fake_rate: number;
};

export const trackingMetricIds = ['trackml_score', 'tracking_efficiency', 'tracking_fake_rate'] as const;

/**
 * The tracking metrics of a set of events:
 *
 * - `trackml_score` = mean over events of the per-event TrackML score (the Kaggle challenge score);
 * - `tracking_efficiency` = Σ matched / Σ reconstructable particles (pooled over the events);
 * - `tracking_fake_rate` = Σ fakes / Σ candidate tracks (pooled); 0 when no track has 4 hits (no candidate, no fake).
 *
 * Edge cases: no events → `ScoringError('EMPTY')`; arrays of different lengths → `LENGTH_MISMATCH`; no
 * reconstructable particle at all → efficiency 0 (never NaN).
 *
 * @example
 * ```ts
 * computeTrackingMetrics(scoreTrackmlEvents(truth, trackIds)); // → { trackml_score: 0.87…, tracking_efficiency: 0.93…, tracking_fake_rate: 0.04… }
 * ```
 */
export function computeTrackingMetrics(events: TrackingEventSummaries): TrackingMetrics {
  return metricsWithMultiplicities(events, assertSummaries(events), null);
}

/** The metrics with event e counted counts[e] times (once each without counts); n = Σ counts, the events drawn. */
function metricsWithMultiplicities(events: TrackingEventSummaries, n: number, counts: Uint16Array | null): TrackingMetrics {
  let score = 0;
  let matched = 0;
  let reconstructable = 0;
  let fakes = 0;
  let candidates = 0;
  for (let e = 0; e < events.score.length; e++) {
    const c = counts === null ? 1 : (counts[e] as number);
    if (c === 0) continue;
    score += c * (events.score[e] as number);
    matched += c * (events.matched[e] as number);
    reconstructable += c * (events.reconstructable[e] as number);
    fakes += c * (events.fakes[e] as number);
    candidates += c * (events.candidates[e] as number);
  }
  return {
    trackml_score: score / n,
    tracking_efficiency: reconstructable > 0 ? matched / reconstructable : 0,
    tracking_fake_rate: candidates > 0 ? fakes / candidates : 0,
  };
}

/**
 * The per-event summaries of the given events (positions into `events`), in that order: a split's subset.
 *
 * @example
 * ```ts
 * selectTrackingEvents(results, [0, 2]); // events 0 and 2 only
 * ```
 */
export function selectTrackingEvents(events: TrackingEventSummaries, positions: readonly number[]): TrackingEventSummaries {
  const pick = <T extends Float64Array | Int32Array>(values: T): T => {
    const out = new (values.constructor as new (n: number) => T)(positions.length);
    positions.forEach((p, k) => {
      out[k] = values[p] as number;
    });
    return out;
  };
  return { score: pick(events.score), reconstructable: pick(events.reconstructable), matched: pick(events.matched), candidates: pick(events.candidates), fakes: pick(events.fakes) };
}

/**
 * Bootstrap replicas of the tracking metrics over events: replica r draws the n events with replacement by the shared
 * rule of bootstrap-resampling.ts (seed, split key, r: the same multiplicities for every submission of the split, so
 * replica differences are paired) and recomputes each metric with the drawn multiplicities (a mean of event scores, and
 * ratios of summed counts).
 *
 * Edge cases: replicas < 1 or not an integer → `ScoringError('INVALID_PARAMETER')`; no events → `EMPTY`.
 *
 * @example
 * ```ts
 * bootstrapTrackingMetrics(events, { seed: 7, splitKey: 'public', replicas: 200 }).trackml_score; // → Float64Array(200)
 * ```
 */
export function bootstrapTrackingMetrics(
  events: TrackingEventSummaries,
  options: { seed: number; splitKey: string; replicas: number },
): Record<(typeof trackingMetricIds)[number], Float64Array> {
  const n = assertSummaries(events);
  const { replicas } = options;
  if (!Number.isSafeInteger(replicas) || replicas < 1) {
    throw new ScoringError('INVALID_PARAMETER', `The number of bootstrap replicas must be a positive integer; found ${replicas}.`);
  }
  const streamKey = splitStreamKey(options.seed, options.splitKey);
  const counts = new Uint16Array(n);
  const result = {
    trackml_score: new Float64Array(replicas),
    tracking_efficiency: new Float64Array(replicas),
    tracking_fake_rate: new Float64Array(replicas),
  };
  for (let r = 0; r < replicas; r++) {
    drawResampleCounts(replicaGenerator(streamKey, r), counts);
    const metrics = metricsWithMultiplicities(events, n, counts);
    result.trackml_score[r] = metrics.trackml_score;
    result.tracking_efficiency[r] = metrics.tracking_efficiency;
    result.tracking_fake_rate[r] = metrics.tracking_fake_rate;
  }
  return result;
}

function assertSummaries(events: TrackingEventSummaries): number {
  const n = events.score.length;
  for (const name of ['reconstructable', 'matched', 'candidates', 'fakes'] as const) {
    if (events[name].length !== n) {
      throw new ScoringError('LENGTH_MISMATCH', `Every event needs a score and four counts; found ${n} scores and ${events[name].length} values of ${name}.`);
    }
  }
  if (n === 0) throw new ScoringError('EMPTY', 'Cannot compute tracking metrics of no events; expected at least one event, found 0.');
  return n;
}
