import type { SubmissionStatusDto } from './submission-dto';

/** One row of an organiser's submission table; every participant's entry of their own challenge. */
export type OrganiserSubmissionRowDto = {
  id: string;
  phaseKey: string;
  participantName: string;
  participantEmail: string;
  teamName: string | null;
  fileName: string;
  status: SubmissionStatusDto;
  source: 'upload' | 'api' | 'browser-baseline';
  isBaseline: boolean;
  isFinal: boolean;
  error: string | null;
  /** Public-split value of the primary metric under the submission's current scoring version, if scored. */
  primaryPublicValue: number | null;
  scoredVersion: string | null;
  createdAt: string;
};

export type OrganiserSubmissionPageDto = {
  rows: OrganiserSubmissionRowDto[];
  /** Rows matching the filters, over all pages. */
  total: number;
  page: number;
  pageSize: number;
  primaryMetric: { id: string; label: string; precision: number };
};
