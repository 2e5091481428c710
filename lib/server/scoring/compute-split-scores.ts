import type { ChallengeDefinition } from '@/challenges/schema';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { computeBinaryMetrics } from '@/scoring/registry';
import { assignPublicSplit } from '@/scoring/split';
import type { Truth } from '../datasets/load-truth';

export type SplitScores = { public: Record<string, number>; private: Record<string, number> };

/**
 * Scores aligned predictions on the public and the private split. Within each split the weights are
 * renormalised per class to the dataset's expected yields (HiggsML 2014 KaggleWeight semantics), so that AMS
 * values of the two splits are comparable.
 */
export function computeSplitScores(
  truth: Truth,
  scores: Float64Array,
  definition: ChallengeDefinition,
  manifest: DatasetManifest,
): SplitScores {
  const isPublic = truth.fixedPublic ?? assignPublicSplit(truth.ids, definition.splits.seed, definition.splits.publicFraction);
  const metricIds = definition.metrics.map((m) => m.id);
  const scoreSplit = (wantPublic: 0 | 1) => {
    let n = 0;
    for (let i = 0; i < isPublic.length; i++) if (isPublic[i] === wantPublic) n++;
    const labels = new Uint8Array(n);
    const splitScores = new Float64Array(n);
    const weights = new Float64Array(n);
    const classSums = [0, 0];
    let j = 0;
    for (let i = 0; i < isPublic.length; i++) {
      if (isPublic[i] !== wantPublic) continue;
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
    return computeBinaryMetrics({ labels, scores: splitScores, weights }, metricIds);
  };
  return { public: scoreSplit(1), private: scoreSplit(0) };
}
