import type { MetricColumnDto } from './challenge-dto';

export type LeaderboardEntryDto = {
  rank: number;
  userName: string;
  isYou: boolean;
  submissionId: string;
  submittedAt: string;
  entries: number;
  /** The best entry was trained in the browser with the platform's baseline. */
  isBrowserBaseline: boolean;
  values: Record<string, number | null>;
};

export type LeaderboardDto = {
  challengeSlug: string;
  phaseKey: string;
  split: 'public' | 'private';
  /** False while the phase is open: the private board is then not served at all. */
  isPrivateRevealed: boolean;
  metrics: MetricColumnDto[];
  rows: LeaderboardEntryDto[];
};
