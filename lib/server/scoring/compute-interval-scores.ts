import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { splitStreamKey } from '@/scoring/bootstrap-resampling';
import { computeIntervalMetrics, intervalSetSummary } from '@/scoring/interval-metrics';
import { percentiles } from '@/scoring/percentile';
import type { IntervalMetricId } from '@/scoring/registry';
import { bootstrapIntervalSets } from '@/scoring/set-bootstrap';
import { bootstrapSetMeans } from '@/scoring/set-bootstrap-means';
import { assignPublicSplit } from '@/scoring/split';
import { buildIntervalDetail } from './build-interval-detail';
import type { ScoreSplit, SubmissionScores } from './submission-scores';

const splits = ['public', 'private'] as const satisfies readonly ScoreSplit[];

type PeTruth = { peIds: Float64Array; setIds: Float64Array; muTrue: Float64Array };
type PePredictions = { muHat: Float64Array; deltaMuHat: Float64Array; p16: Float64Array; p84: Float64Array };

/**
 * Scores an interval-estimation submission. Pseudo-experiments are split by set — the challenge's SplitMix64 rule
 * on the set ids, so every PE of a set lands on the same side — and on each split every interval metric of the
 * definition is pooled over the split's PEs (`computeIntervalMetrics`). CIs and replicas come from a bootstrap over
 * the split's sets (`bootstrapIntervalSets`; `bootstrapSetMeans` for rmse and mae) with
 * `definition.scoring.bootstrapReplicas` resamples and a seed derived from (challenge seed, split) only: every
 * submission gets the same resamples, so replica differences are paired. Plot data per split. Pure.
 *
 * A split without pseudo-experiments → `AppError('INVALID_CHALLENGE')`.
 */
export function computeIntervalScores(
  truth: PeTruth,
  predictions: PePredictions,
  definition: ChallengeDefinition,
  manifest: DatasetManifest,
): SubmissionScores {
  const n = truth.peIds.length;
  for (const name of ['muHat', 'deltaMuHat', 'p16', 'p84'] as const) {
    const column = predictions[name];
    if (column.length !== n) throw new AppError('INTERNAL', `The predictions have ${column.length} values of ${name}; truth_pe has ${n} pseudo-experiments.`);
  }
  const isPublic = assignPublicSplit(truth.setIds, definition.splits.seed, definition.splits.publicFraction);
  const metricIds = definition.metrics.map((m) => m.id) as IntervalMetricId[];
  const resamples = definition.scoring.bootstrapReplicas;
  const result: SubmissionScores = { scores: [], details: [] };
  for (const split of splits) {
    const wanted = split === 'public' ? 1 : 0;
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (isPublic[i] === wanted) rows.push(i);
    if (rows.length === 0) {
      const sets = new Set(truth.setIds).size;
      throw new AppError(
        'INVALID_CHALLENGE',
        `Challenge "${definition.slug}" has no pseudo-experiments on its ${split} split: with publicFraction ${definition.splits.publicFraction} and seed ${definition.splits.seed}, all ${sets} sets of dataset ${manifest.dataset} version ${manifest.version} fall on the other side. Choose another seed or publicFraction, or use more sets.`,
      );
    }
    const gather = (values: Float64Array) => Float64Array.from(rows, (i) => values[i] as number);
    const input = {
      muTrue: gather(truth.muTrue),
      muHat: gather(predictions.muHat),
      deltaMuHat: gather(predictions.deltaMuHat),
      p16: gather(predictions.p16),
      p84: gather(predictions.p84),
      setIds: gather(truth.setIds),
    };
    const values = computeIntervalMetrics(input);
    const seed = setBootstrapSeed(definition.splits.seed, split, resamples);
    const bootstrap = bootstrapIntervalSets(input, { resamples, seed });
    const summary = intervalSetSummary(input);
    const replicasOf: Record<IntervalMetricId, () => Float64Array> = {
      quantile_score: () => bootstrap.quantile_score.values,
      coverage: () => bootstrap.coverage.values,
      interval_width: () => bootstrap.interval_width.values,
      rmse: () => bootstrapSetMeans(summary.rmse, { resamples, seed }),
      mae: () => bootstrapSetMeans(summary.mae, { resamples, seed }),
    };
    for (const id of metricIds) {
      const replicas = replicasOf[id]();
      const [ciLow, ciHigh] = percentiles(replicas, [16, 84]);
      result.scores.push({ split, variation: 'nominal', metric: id, value: values[id], ciLow: ciLow ?? null, ciHigh: ciHigh ?? null, replicas: Array.from(replicas) });
    }
    result.details.push({
      split,
      variation: 'nominal',
      data: buildIntervalDetail({ peIds: gather(truth.peIds), muTrue: input.muTrue, muHat: input.muHat, p16: input.p16, p84: input.p84 }),
    });
  }
  return result;
}

/**
 * The base seed of the set bootstrap of one split: the (challenge seed, "sets:<split>") stream key of
 * bootstrap-resampling.ts reduced into the seeds `bootstrapIntervalSets` accepts (seed + resamples − 1 < 2^32).
 */
function setBootstrapSeed(challengeSeed: number, split: ScoreSplit, resamples: number): number {
  return Number(splitStreamKey(challengeSeed, `sets:${split}`) % BigInt(0x100000000 - resamples + 1));
}
