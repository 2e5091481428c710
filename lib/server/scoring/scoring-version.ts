/** Recorded on every score row; bump when a metric or the way splits are weighted changes. */
export const scoringVersion = '2';
