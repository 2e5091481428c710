import type { SubmissionModelDto } from './model-dto';
import type { MetricColumnDto } from './challenge-dto';
import type { MetricValueDto } from './leaderboard-dto';

export type SubmissionStatusDto = 'received' | 'queued' | 'scoring' | 'scored' | 'failed';

export type SubmissionDto = {
  id: string;
  challengeSlug: string;
  challengeTitle: string;
  phaseKey: string;
  fileName: string;
  /** The participant's short note on this entry (web, API or CLI), or null. */
  description: string | null;
  sizeBytes: number;
  rows: number;
  sha256: string;
  status: SubmissionStatusDto;
  source: 'upload' | 'api' | 'browser-baseline';
  teamName: string | null;
  /** Selected for the private board. */
  isFinal: boolean;
  isBaseline: boolean;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  /** Public-split scores by metric id; private scores appear only after the phase closes. */
  publicScores: Record<string, number>;
  privateScores: Record<string, number> | null;
  /** Set when the submission is a model (ONNX or TF.js) run on the server, rather than a predictions file. */
  model?: SubmissionModelDto | null;
};

/** A row of "My submissions": the signed-in user's entries and their teams' entries. */
export type MySubmissionDto = SubmissionDto & {
  /** The submission's own page (visible to the submitter, their team and the organisers). */
  href: string;
  submitterName: string;
  /** Submitted by the signed-in user (else by a team mate). */
  isOwn: boolean;
  phaseTitle: string;
  phaseState: 'upcoming' | 'open' | 'closed';
  /** The signed-in user may put this entry in the phase's final selection (their competitor's, scored, phase open). */
  canSelectFinal: boolean;
  /** The challenge's metrics (names, directions, precision), primary first: the scores below are shown by name. */
  metrics: MetricColumnDto[];
  /** Public-split values with their bootstrap 68 % intervals, by metric id (nominal test set). */
  publicValues: Record<string, MetricValueDto>;
  /** Private-split values with their intervals, once the truth is revealed; else null. */
  privateValues: Record<string, MetricValueDto> | null;
};

/** The filters of "My submissions" (page, API and export): one challenge, one status, or all. */
export type MySubmissionsFilter = { challenge?: string; status?: SubmissionStatusDto };
