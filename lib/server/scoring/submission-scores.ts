import 'server-only';
import type { ScoreDetailData } from '@/lib/shared/dto/score-detail-dto';

export type ScoreSplit = 'public' | 'private';

/**
 * One stored number: a metric on one split of one test set. `variation` is "nominal", the name of a systematic
 * variation test set, or "systematics" for the robustness of the metric (total relative shift across the
 * variations; lower is better whatever the metric's own direction).
 */
export type SubmissionScoreRow = {
  split: ScoreSplit;
  variation: string;
  metric: string;
  /** May be Infinity (an unbounded rejection, or the robustness of such a metric); never NaN. */
  value: number;
  ciLow: number | null;
  ciHigh: number | null;
  /** Bootstrap replica values, replica k shared by every submission of the challenge split (paired). */
  replicas: number[] | null;
};

export type SubmissionDetailRow = { split: ScoreSplit; variation: string; data: ScoreDetailData };

/** What the scoring job stores for one submission under one scoring version. */
export type SubmissionScores = { scores: SubmissionScoreRow[]; details: SubmissionDetailRow[] };

/** The variation name of robustness rows. */
export const ROBUSTNESS_VARIATION = 'systematics';
