import type { MetricColumnDto } from './challenge-dto';

/** A metric value with its bootstrap 68 % interval (16th–84th percentile); null when not computed. */
export type MetricValueDto = { value: number | null; ciLow: number | null; ciHigh: number | null };

export type LeaderboardEntryDto = {
  rank: number;
  /** Statistical tie group from the paired bootstrap (1 = tied with the leader); null when not comparable. */
  tieGroup: number | null;
  /** The ranks this entry could hold given the paired bootstrap: [best, worst]. */
  rankInterval: [number, number] | null;
  userName: string;
  isYou: boolean;
  submissionId: string;
  submittedAt: string;
  entries: number;
  /** The best entry was trained in the browser with the platform's baseline. */
  isBrowserBaseline: boolean;
  values: Record<string, MetricValueDto>;
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
