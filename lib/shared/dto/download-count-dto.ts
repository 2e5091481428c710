/** Downloads of one dataset file of a challenge: every served copy, and how many different accounts took one. */
export type DownloadCountDto = {
  dataset: string;
  version: string;
  fileName: string;
  downloads: number;
  distinctUsers: number;
  /** The file belongs to the dataset version the challenge uses now (not one it used before a switch). */
  isCurrentVersion: boolean;
};
