/**
 * The "new challenge" form as the server receives it (numbers may arrive as strings; dates as UTC
 * `YYYY-MM-DDTHH:mm` from a datetime-local input or full ISO 8601). Turned into the same challenge definition an
 * uploaded JSON file gives, so both paths are validated alike.
 */
export type ChallengeFormInput = {
  title: string;
  slug: string;
  summary: string;
  task: string;
  /** "dataset@version", e.g. "higgs-tautau-toy@1.0.0". */
  datasetVersion: string;
  metrics: string[];
  primaryMetric: string;
  publicFraction: string | number;
  /** Empty: a random seed is drawn and stored in the definition. */
  seed?: string | number;
  phases: Array<{
    key: string;
    title: string;
    opensAt: string;
    closesAt?: string;
    maxPerDay: string | number;
    maxTotal?: string | number;
  }>;
  /** Empty pages get a generated text naming the data, metrics, split and limits. */
  pages?: Partial<Record<'overview' | 'evaluation' | 'data' | 'terms', string>>;
};
