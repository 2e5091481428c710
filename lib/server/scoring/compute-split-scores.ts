import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { renormaliseToYields } from '@/lib/shared/renormalise-to-yields';
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
    const rawWeights = new Float64Array(n);
    let j = 0;
    for (let i = 0; i < isPublic.length; i++) {
      if (isPublic[i] !== wanted) continue;
      labels[j] = truth.labels[i] ?? 0;
      splitScores[j] = scores[i] ?? 0;
      rawWeights[j] = truth.weights[i] ?? 0;
      j++;
    }
    const weights = renormaliseToYields(labels, rawWeights, manifest.expectedYields);
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
