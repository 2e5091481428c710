import type { MetricColumnDto } from './challenge-dto';
import type { MetricValueDto } from './leaderboard-dto';
import type { ScoreDetailData } from './score-detail-dto';
import type { SubmissionDto } from './submission-dto';

/**
 * One submission as its owner, their team or the challenge's organisers see it: every metric per split and
 * variation with its interval, robustness, and plot data. Private-split numbers and μ_true are present only once
 * the hidden truth is revealed (every phase of every challenge scored on it has closed).
 */
export type SubmissionDetailDto = SubmissionDto & {
  task: 'binary-classification' | 'interval-estimation';
  phaseTitle: string;
  phaseState: 'upcoming' | 'open' | 'closed';
  /**
   * Private-split numbers and truth are shown: the phase closed, and so has every other phase scored on the same
   * truth. `privateHiddenReason` says in words why not, when not.
   */
  isPrivateRevealed: boolean;
  privateHiddenReason: string | null;
  submitterName: string;
  /** The scoring version the numbers come from (older versions stay stored after a rescore). */
  scoredVersion: string | null;
  metrics: MetricColumnDto[];
  /** "nominal" first, then each variation. */
  variations: { name: string; label: string }[];
  /** scores[split][variation][metricId]; split "private" only once isPrivateRevealed. variation "systematics" = robustness. */
  scores: Partial<Record<'public' | 'private', Record<string, Record<string, MetricValueDto>>>>;
  /** details[split][variation]. */
  details: Partial<Record<'public' | 'private', Record<string, ScoreDetailData>>>;
  /** The viewer may change this submission's final selection (owner or team member, phase not closed). */
  canSelectFinal: boolean;
};
