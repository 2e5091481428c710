import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { bootstrapBinaryMetrics } from '@/scoring/bootstrap-binary';
import type { MetricId } from '@/scoring/registry';
import { assignPublicSplit } from '@/scoring/split';
import type { Truth } from '../datasets/load-truth';

export type MetricScore = { value: number; ciLow: number; ciHigh: number; replicas: Float64Array };
export type SplitScores = { public: Record<string, MetricScore>; private: Record<string, MetricScore> };

/**
 * Scores aligned predictions on the public and the private split, with bootstrap CIs. Within each split the
 * weights are renormalised per class to the dataset's expected yields (HiggsML 2014 KaggleWeight semantics), so
 * that AMS values of the two splits are comparable. The replicas depend only on (challenge seed, split, replica
 * number) and the truth's fixed row order, so every submission of the challenge gets the same resamplings and
 * differences between submissions are paired.
 */
export function computeSplitScores(
  truth: Truth,
  scores: Float64Array,
  definition: ChallengeDefinition,
  manifest: DatasetManifest,
): SplitScores {
  const isPublic = truth.fixedPublic ?? assignPublicSplit(truth.ids, definition.splits.seed, definition.splits.publicFraction);
  const metricIds = definition.metrics.map((m) => m.id) as MetricId[];
  const scoreSplit = (split: 'public' | 'private'): Record<string, MetricScore> => {
    const wanted = split === 'public' ? 1 : 0;
    let n = 0;
    for (let i = 0; i < isPublic.length; i++) if (isPublic[i] === wanted) n++;
    const labels = new Uint8Array(n);
    const splitScores = new Float64Array(n);
    const weights = new Float64Array(n);
    const classSums = [0, 0];
    let j = 0;
    for (let i = 0; i < isPublic.length; i++) {
      if (isPublic[i] !== wanted) continue;
      const label = truth.labels[i] ?? 0;
      const weight = truth.weights[i] ?? 0;
      labels[j] = label;
      splitScores[j] = scores[i] ?? 0;
      weights[j] = weight;
      classSums[label] = (classSums[label] ?? 0) + weight;
      j++;
    }
    const factor = [
      (classSums[0] ?? 0) > 0 ? manifest.expectedYields.background / (classSums[0] ?? 1) : 1,
      (classSums[1] ?? 0) > 0 ? manifest.expectedYields.signal / (classSums[1] ?? 1) : 1,
    ];
    for (let k = 0; k < n; k++) weights[k] = (weights[k] ?? 0) * (factor[labels[k] ?? 0] ?? 1);
    const result = bootstrapBinaryMetrics({ labels, scores: splitScores, weights }, metricIds, {
      seed: definition.splits.seed,
      splitKey: split,
      replicas: definition.scoring.bootstrapReplicas,
      params: {
        threshold: definition.scoring.threshold,
        backgroundRelativeUncertainty: definition.scoring.backgroundRelativeUncertainty,
      },
    });
    return Object.fromEntries(
      metricIds.map((id) => [
        id,
        { value: result.values[id], ciLow: result.intervals[id][0], ciHigh: result.intervals[id][1], replicas: result.replicaValues[id] },
      ]),
    );
  };
  return { public: scoreSplit('public'), private: scoreSplit('private') };
}
