/** A built-in recipe as the organiser page lists it. */
export type RecipeSummaryDto = {
  name: string;
  title: string;
  description: string;
  dataset: string;
  version: string;
  samples: { name: string; label: 0 | 1; process: string; files: string[] }[];
  /** The DSID table: a CSV file (relative to DATA_DIR/downloads) or the recipe's own rows. */
  dsidTable: string;
  features: number;
  rows: string;
  variations: { name: string; kind: string }[];
};

export type RecipeBuildPartDto = {
  index: number;
  sample: string;
  variation: string | null;
  file: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  entriesDone: number;
  entriesTotal: number | null;
  selectedEvents: number | null;
  attempts: number;
  worker: string | null;
  error: string | null;
};

/** A queued build with its progress: files done, events read, events/s and the time to go. */
export type RecipeBuildDto = {
  id: string;
  recipe: string;
  dataset: string;
  version: string;
  title: string;
  status: 'planning' | 'running' | 'merging' | 'done' | 'failed';
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  filesDone: number;
  files: number;
  entriesDone: number;
  /** Entries of the files started so far, plus their mean for the files not started yet. */
  entriesEstimate: number;
  eventsPerSecond: number;
  etaSeconds: number | null;
  /** The registered version, once the build is done. */
  datasetVersion: { dataset: string; version: string } | null;
  parts: RecipeBuildPartDto[];
};
