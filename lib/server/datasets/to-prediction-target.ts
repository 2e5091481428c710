import 'server-only';
import type { PredictionTarget } from '@/lib/shared/formats/prediction-target';
import type { ChallengeTruth } from './load-challenge-truth';

/**
 * What a predictions file must cover for a challenge: the ids of the nominal test set and of each variation
 * (binary), the pseudo-experiment ids (interval), or the test hits (track assignment). Only ids: labels, weights and μ never leave the truth.
 */
export function toPredictionTarget(truth: ChallengeTruth): PredictionTarget {
  if (truth.task === 'track-assignment') return { task: 'track-assignment', hits: truth.tracks.hits };
  if (truth.task === 'interval-estimation') {
    return { task: 'interval-estimation', peIds: { ids: truth.peIds, rowById: truth.rowById } };
  }
  const idsByTable = new Map([['nominal', { ids: truth.nominal.ids, rowById: truth.nominal.rowById }]]);
  for (const [name, table] of truth.variations) idsByTable.set(name, { ids: table.ids, rowById: table.rowById });
  return { task: 'binary-classification', variations: [...truth.variations.keys()], idsByTable };
}
