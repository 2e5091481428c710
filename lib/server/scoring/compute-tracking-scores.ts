import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { percentiles } from '@/scoring/percentile';
import type { TrackingMetricId } from '@/scoring/registry';
import { assignPublicSplit } from '@/scoring/split';
import { scoreTrackmlEvents } from '@/scoring/trackml-score';
import { bootstrapTrackingMetrics, computeTrackingMetrics, selectTrackingEvents } from '@/scoring/tracking-metrics';
import type { TrackTruth } from '../datasets/load-track-truth';
import { buildTrackingDetail } from './build-tracking-detail';
import type { ScoreSplit, SubmissionScores } from './submission-scores';

const splits = ['public', 'private'] as const satisfies readonly ScoreSplit[];

/**
 * Scores a track-assignment submission (one track id per truth row). The TrackML score of every test event comes
 * first (`scoreTrackmlEvents`); events are then split by the challenge's SplitMix64 rule on the event id, and on each
 * split every tracking metric of the definition is computed over the split's events (`computeTrackingMetrics`: mean of
 * the event scores; pooled efficiency and fake rate). CIs and replicas come from a bootstrap over the split's events
 * with `definition.scoring.bootstrapReplicas` replicas whose resampling depends only on (challenge seed, split), so
 * every submission shares them (paired replicas, tie groups). Plot data per split. Pure.
 *
 * A split without events → `AppError('INVALID_CHALLENGE')`.
 */
export function computeTrackingScores(truth: TrackTruth, trackIds: Float64Array, definition: ChallengeDefinition, manifest: DatasetManifest): SubmissionScores {
  const results = scoreTrackmlEvents(truth.prepared, trackIds, true);
  const isPublic = assignPublicSplit(results.eventIds, definition.splits.seed, definition.splits.publicFraction);
  const metricIds = definition.metrics.map((m) => m.id) as TrackingMetricId[];
  const result: SubmissionScores = { scores: [], details: [] };
  for (const split of splits) {
    const wanted = split === 'public' ? 1 : 0;
    const events: number[] = [];
    for (let e = 0; e < results.eventIds.length; e++) if (isPublic[e] === wanted) events.push(e);
    if (events.length === 0) {
      throw new AppError(
        'INVALID_CHALLENGE',
        `Challenge "${definition.slug}" has no test events on its ${split} split: with publicFraction ${definition.splits.publicFraction} and seed ${definition.splits.seed}, all ${results.eventIds.length} events of dataset ${manifest.dataset} version ${manifest.version} fall on the other side. Choose another seed or publicFraction, or use more test events.`,
      );
    }
    const summaries = selectTrackingEvents(results, events);
    const values = computeTrackingMetrics(summaries);
    const replicas = bootstrapTrackingMetrics(summaries, { seed: definition.splits.seed, splitKey: split, replicas: definition.scoring.bootstrapReplicas });
    for (const id of metricIds) {
      const [ciLow, ciHigh] = percentiles(replicas[id], [16, 84]);
      result.scores.push({ split, variation: 'nominal', metric: id, value: values[id], ciLow: ciLow ?? null, ciHigh: ciHigh ?? null, replicas: Array.from(replicas[id]) });
    }
    result.details.push({ split, variation: 'nominal', data: buildTrackingDetail({ truth, results, trackIds, events }) });
  }
  return result;
}
