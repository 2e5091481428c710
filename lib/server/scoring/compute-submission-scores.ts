import 'server-only';
import type { ChallengeDefinition } from '@/challenges/schema';
import { AppError } from '@/lib/shared/app-error';
import type { DatasetManifest } from '@/lib/shared/dataset-manifest';
import type { AlignedPredictions } from '@/lib/shared/formats/prediction-target';
import type { ChallengeTruth } from '../datasets/load-challenge-truth';
import { computeBinaryScores } from './compute-binary-scores';
import { computeIntervalScores } from './compute-interval-scores';
import { computeTrackingScores } from './compute-tracking-scores';
import type { SubmissionScores } from './submission-scores';

/**
 * Every score row and plot of one submission (pure: no database, no files). Binary: metrics with CIs per split on
 * the nominal test set and each variation, plus robustness rows (variation "systematics"); interval: metrics with
 * CIs per split from a bootstrap over sets; track assignment: TrackML score, efficiency and fake rate with CIs per split
 * from a bootstrap over events. See `computeBinaryScores`, `computeIntervalScores` and `computeTrackingScores`.
 */
export function computeSubmissionScores(
  truth: ChallengeTruth,
  predictions: AlignedPredictions,
  definition: ChallengeDefinition,
  manifest: DatasetManifest,
): SubmissionScores {
  if (truth.task !== definition.task || predictions.task !== definition.task) {
    throw new AppError('INTERNAL', `Challenge "${definition.slug}" is a ${definition.task} task, but its truth is ${truth.task} and the predictions ${predictions.task}.`);
  }
  if (truth.task === 'binary-classification' && predictions.task === 'binary-classification') {
    return computeBinaryScores(truth, predictions.scores, definition, manifest);
  }
  if (truth.task === 'interval-estimation' && predictions.task === 'interval-estimation') {
    return computeIntervalScores(truth, predictions, definition, manifest);
  }
  if (truth.task === 'track-assignment' && predictions.task === 'track-assignment') {
    return computeTrackingScores(truth.tracks, predictions.trackIds, definition, manifest);
  }
  throw new AppError('INTERNAL', `Unknown task ${definition.task}.`);
}
