import type { ModelTrackDto } from './model-dto';

/** What pages receive about a challenge: never a raw row, never truth or private numbers. */
export type PhaseDto = {
  id: string;
  key: string;
  title: string;
  opensAt: string;
  closesAt: string | null;
  maxPerDay: number;
  maxTotal: number | null;
  state: 'upcoming' | 'open' | 'closed';
};

export type MetricColumnDto = {
  id: string;
  label: string;
  direction: 'maximize' | 'minimize';
  /** The ideal value when better means closer to it (coverage: 0.6827), else null. */
  target: number | null;
  /** "higher is better", "lower is better" or "closest to 0.6827 is better", from the scoring registry. */
  directionText: string;
  /** ↑, ↓ or →0.6827, from the scoring registry. */
  directionArrow: string;
  primary: boolean;
  precision: number;
};

export type DownloadDto = { name: string; role: 'train' | 'test' | 'export'; format: string; sizeBytes: number; rows: number; sha256: string };

export type ChallengeSummaryDto = {
  slug: string;
  title: string;
  summary: string;
  task: string;
  isToy: boolean;
  openPhase: PhaseDto | null;
  participantCount: number;
  submissionCount: number;
};

export type ChallengeDto = ChallengeSummaryDto & {
  revision: number;
  pages: { overview: string; evaluation: string; data: string; terms: string };
  phases: PhaseDto[];
  metrics: MetricColumnDto[];
  publicFraction: number;
  scoring: {
    bootstrapReplicas: number;
    threshold: number;
    backgroundRelativeUncertainty: number;
    /** Systematic variation test sets (`test@<name>` files) every submission is also scored on. */
    variations: { name: string; group: string; pairedWith?: string; label: string; serverOnly?: boolean }[];
  };
  /** The model track, when a phase takes models. */
  model?: ModelTrackDto | null;
  dataset: {
    id: string;
    version: string;
    title: string;
    licence: string;
    citation: string;
    downloads: DownloadDto[];
    featureColumns: string[];
    /** Unit and description of each feature column (for the explorer). */
    columns: { name: string; unit: string; description: string }[];
    /** Systematic variations with a public varied test table (for the explorer's ratio panel). */
    variations: { name: string; description: string }[];
    missingValue: number;
    expectedYields: { signal: number; background: number };
  };
};
