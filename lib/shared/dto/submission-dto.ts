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
};
