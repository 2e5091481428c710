import type { GroupYieldDto, TrainingSummaryDto } from '../histograms/histogram-types';

/** Who may see a dataset version in the catalogue, and why. */
export type DatasetVisibilityDto = {
  /** Published by its owner or an admin. */
  isPublic: boolean;
  /** Used by a published challenge: shown whatever `isPublic` says (its files are downloadable there anyway). */
  isUsedByPublishedChallenge: boolean;
  /** The viewer owns the dataset or is an admin: may publish or hide the version. */
  canManage: boolean;
};

/** One version in a list (catalogue card, dataset page). */
export type DatasetVersionSummaryDto = {
  dataset: string;
  version: string;
  title: string;
  description: string;
  isToy: boolean;
  licence: string;
  doi: string | null;
  createdAt: string;
  trainRows: number;
  featureCount: number;
  variations: string[];
  hasDisplay: boolean;
  visibility: DatasetVisibilityDto;
};

/** A dataset with every version the viewer may see, newest first. */
export type DatasetDto = { id: string; title: string; isToy: boolean; versions: DatasetVersionSummaryDto[] };

export type DatasetFileDto = { name: string; role: string; format: string; sizeBytes: number; rows: number; sha256: string; downloads: number };

export type DatasetVersionPageDto = DatasetVersionSummaryDto & {
  citation: { text: string; bibtex: string };
  sources: Array<{ name: string; sha256: string | null; doi: string | null; note: string | null }>;
  luminosityFb: number | null;
  missingValue: number;
  /** Training rows and Σ weights (expected yield) per process and per class; null when the summary could not be computed. */
  training: TrainingSummaryDto | null;
  /** Expected yields of the scored test set per class, as the manifest states them. */
  expectedYields: { signal: number; background: number };
  files: DatasetFileDto[];
  columns: Array<{ name: string; unit: string; description: string; isFeature: boolean }>;
  featureColumns: string[];
  variationDetails: Array<{ name: string; kind: string; description: string; hasPublicTable: boolean }>;
  recipe: Record<string, unknown>;
  pipelineVersion: string;
  /** Challenges using this version: published ones, plus drafts the viewer organises. */
  challenges: Array<{ slug: string; title: string; isDraft: boolean }>;
  /** Other versions of the same dataset the viewer may see (for the diff). */
  otherVersions: string[];
};

export type DatasetDiffDto = {
  dataset: string;
  from: string;
  to: string;
  rows: Array<{ table: string; from: number | null; to: number | null }>;
  columns: { added: string[]; removed: string[]; changed: Array<{ name: string; from: string; to: string }> };
  recipe: Array<{ path: string; from: string | null; to: string | null }>;
  sources: { added: string[]; removed: string[]; changed: Array<{ name: string; from: string; to: string }> };
  processes: Array<{ name: string; from: GroupYieldDto | null; to: GroupYieldDto | null }>;
  other: Array<{ field: string; from: string; to: string }>;
};
