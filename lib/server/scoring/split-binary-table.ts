import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import { renormaliseToYields } from '@/lib/shared/renormalise-to-yields';
import { assignPublicSplit } from '@/scoring/split';
import type { Truth } from '../datasets/load-truth';
import type { ScoreSplit } from './submission-scores';

export type BinarySplitInput = { labels: Uint8Array; scores: Float64Array; weights: Float64Array };

/**
 * Splits one test set (the nominal one or a variation) into its public and private events — the dataset's fixed
 * split column when it has one, else the challenge's SplitMix64 rule on the set's own ids — and renormalises the
 * weights of each split per class to the dataset's expected yields (HiggsML 2014 KaggleWeight semantics), so AMS
 * values of the two splits and of every test set are comparable. Rows keep the truth's order, which keeps the
 * bootstrap resamplings shared between submissions.
 *
 * A split without signal or background weight → `AppError('INVALID_CHALLENGE')` naming the test set and split.
 */
export function splitBinaryTable(
  table: { name: string; truth: Truth; scores: Float64Array },
  definition: ChallengeDefinition,
  manifest: DatasetManifest,
): Record<ScoreSplit, BinarySplitInput> {
  const { truth, scores } = table;
  if (scores.length !== truth.ids.length) {
    throw new AppError('INTERNAL', `The predictions for the "${table.name}" test set have ${scores.length} rows; its truth has ${truth.ids.length}.`);
  }
  const isPublic = truth.fixedPublic ?? assignPublicSplit(truth.ids, definition.splits.seed, definition.splits.publicFraction);
  const select = (split: ScoreSplit): BinarySplitInput => {
    const wanted = split === 'public' ? 1 : 0;
    let n = 0;
    for (let i = 0; i < isPublic.length; i++) if (isPublic[i] === wanted) n++;
    const labels = new Uint8Array(n);
    const splitScores = new Float64Array(n);
    const rawWeights = new Float64Array(n);
    let j = 0;
    for (let i = 0; i < isPublic.length; i++) {
      if (isPublic[i] !== wanted) continue;
      labels[j] = truth.labels[i] as number;
      splitScores[j] = scores[i] as number;
      rawWeights[j] = truth.weights[i] as number;
      j++;
    }
    const weights = renormaliseToYields(labels, rawWeights, manifest.expectedYields);
    const sums = [0, 0];
    for (let k = 0; k < n; k++) sums[labels[k] as number] = (sums[labels[k] as number] as number) + (weights[k] as number);
    for (const [label, name] of [[1, 'signal'], [0, 'background']] as const) {
      if (!((sums[label] as number) > 0)) {
        throw new AppError(
          'INVALID_CHALLENGE',
          `The ${split} split of the "${table.name}" test set of dataset ${manifest.dataset} version ${manifest.version} has no ${name} weight (${n} events, publicFraction ${definition.splits.publicFraction}, seed ${definition.splits.seed}); it cannot be scored.`,
        );
      }
    }
    return { labels, scores: splitScores, weights };
  };
  return { public: select('public'), private: select('private') };
}
