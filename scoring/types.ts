/**
 * Aligned per-event arrays of a binary classification task: element i of each array describes event i.
 * `labels`: 1 = signal, 0 = background. `scores`: any finite number, higher = more signal-like.
 * `weights`: finite and non-negative; when omitted every event has weight 1.
 */
export type BinaryScoringInput = {
  labels: Uint8Array;
  scores: Float64Array;
  weights?: Float64Array;
};
