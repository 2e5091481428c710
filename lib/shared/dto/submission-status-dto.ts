import type { MetricColumnDto } from './challenge-dto';
import type { MetricValueDto } from './leaderboard-dto';
import type { SubmissionStatusDto } from './submission-dto';

/**
 * What the live status of a submission carries (server-sent events and the polling fallback of
 * GET /api/v1/me/submissions/status): where it is in `received → queued → scoring → scored | failed`, the reason of a
 * failure, and the public scores with their intervals once scored.
 */
export type LiveSubmissionDto = {
  id: string;
  status: SubmissionStatusDto;
  /** Why it failed, in words the participant can act on; null otherwise. */
  error: string | null;
  finishedAt: string | null;
  /** The scoring version of the scores (changes when an organiser rescores). */
  scoredVersion: string | null;
  /** The challenge's metrics, primary first, once there are scores to name; empty before. */
  metrics: MetricColumnDto[];
  /** Public-split nominal scores with their bootstrap intervals, by metric id; empty until scored. */
  publicValues: Record<string, MetricValueDto>;
};

/** Whether a status is final: the live view stops following a submission that reached it. */
export function isTerminalStatus(status: SubmissionStatusDto): boolean {
  return status === 'scored' || status === 'failed';
}
