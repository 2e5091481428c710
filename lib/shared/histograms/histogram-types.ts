/** Equal-width binning of one axis: `bins` bins over [min, max); values ≥ max go to the overflow. */
export type Binning = { bins: number; min: number; max: number };

/** [sum of weights, number of rows]. */
export type WeightAndEntries = [weight: number, entries: number];

/**
 * One filled histogram of a group of rows (a process or a class), as served: compact arrays of length `bins`.
 * `missing` holds the rows whose value is the dataset's missing-value sentinel (or not a finite number): they are
 * counted apart and never drawn. `total` = every bin + underflow + overflow + missing.
 */
export type HistogramGroupDto = {
  name: string;
  /** 1 signal, 0 background, null when the group mixes both (a process holding both labels). */
  label: 0 | 1 | null;
  weights: number[];
  /** Σ w² per bin: the statistical uncertainty of bin i is √sumw2[i]. */
  sumw2: number[];
  entries: number[];
  underflow: WeightAndEntries;
  overflow: WeightAndEntries;
  missing: WeightAndEntries;
  total: WeightAndEntries;
};

/** A 2D histogram of one group, row-major with x fastest: content of (ix, iy) at index iy·binsX + ix. */
export type Histogram2dGroupDto = { name: string; label: 0 | 1 | null; weights: number[]; outside: WeightAndEntries; missing: WeightAndEntries; total: WeightAndEntries };

export type FeatureInfoDto = { name: string; unit: string; description: string };

/** What is compared in a variation's ratio panel, and the two unweighted histograms. */
export type VariationHistogramDto = {
  name: string;
  kind: 'parametrised' | 'alternative-sample';
  description: string;
  /** Plain-words statement of what the ratio compares (e.g. unweighted test events, no labels). */
  compared: string;
  nominal: HistogramGroupDto;
  varied: HistogramGroupDto;
};

/** The answer of the histogram API for one feature (and optionally a variation and a second feature). */
export type FeatureHistogramDto = {
  dataset: string;
  version: string;
  /** Table the main histograms come from: always the training table. */
  table: 'train';
  feature: FeatureInfoDto;
  missingValue: number;
  binning: Binning;
  isDefaultBinning: boolean;
  /** Stacked by process (detailed_label), or by class when the table has no process column. */
  processes: HistogramGroupDto[];
  classes: HistogramGroupDto[];
  variation: VariationHistogramDto | null;
  hist2d: { feature: FeatureInfoDto; binningX: Binning; binningY: Binning; classes: Histogram2dGroupDto[] } | null;
};

/** Rows and Σ weights of a group of training rows. */
export type GroupYieldDto = { name: string; label: 0 | 1 | null; rows: number; sumOfWeights: number };

/** Per-version summary the catalogue shows: processes and classes of the training table. */
export type TrainingSummaryDto = { rows: number; processColumn: string | null; processes: GroupYieldDto[]; classes: GroupYieldDto[] };

/** Default histograms of every feature of a version's training table, computed once and kept on disk. */
export type HistogramCacheDto = {
  /** Format of this object; a cache file of another format is rebuilt. */
  format: 1;
  dataset: string;
  version: string;
  /** sha256 of the train.arrow it was computed from. */
  trainSha256: string;
  missingValue: number;
  summary: TrainingSummaryDto;
  features: Record<string, { binning: Binning; processes: HistogramGroupDto[]; classes: HistogramGroupDto[] }>;
};
