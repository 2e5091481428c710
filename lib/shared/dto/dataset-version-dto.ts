/** A registered dataset version, for the organiser's create and attach forms. */
export type DatasetVersionDto = {
  dataset: string;
  version: string;
  title: string;
  isToy: boolean;
  /** Task kinds whose truth the version carries (truth.arrow: binary; truth_pe.arrow: interval; truth_tracks.arrow: track assignment). */
  tasks: Array<'binary-classification' | 'interval-estimation' | 'track-assignment'>;
  /** Systematic variations of the test set that a binary challenge may score. */
  variations: string[];
  files: Array<{ name: string; role: string; format: string; sizeBytes: number; rows: number; serverOnly: boolean }>;
  registeredAt: string;
};
