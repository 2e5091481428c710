import type { SubmissionModelDto } from './model-dto';

export type SubmissionStatusDto = 'received' | 'queued' | 'scoring' | 'scored' | 'failed';

export type SubmissionDto = {
  id: string;
  challengeSlug: string;
  challengeTitle: string;
  phaseKey: string;
  fileName: string;
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
};
