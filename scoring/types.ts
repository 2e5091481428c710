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

/**
 * Parameters of the binary metrics that need more than labels, scores and weights. Every field is optional;
 * {@link DEFAULT_BINARY_PARAMS} gives the defaults.
 */
export type BinaryMetricParams = {
  /** Selection cut for `accuracy`, `ams` and `significance_asimov`: class = score ≥ threshold. Default 0.5. */
  threshold?: number;
  /** Relative background uncertainty r (σ_b = r·b) of `significance_asimov`. Default 0 (no uncertainty). */
  backgroundRelativeUncertainty?: number;
  /**
   * Submitted class per event (0 or 1), aligned with the labels. When present it replaces score ≥ threshold as
   * the selection of `accuracy`, `ams` and `significance_asimov`.
   */
  classes?: Uint8Array;
  /** Regularisation term b_reg of `ams` and `ams_best`. Default 10 (HiggsML 2014). */
  bReg?: number;
};

/** The defaults of {@link BinaryMetricParams}. */
export const DEFAULT_BINARY_PARAMS = {
  threshold: 0.5,
  backgroundRelativeUncertainty: 0,
  bReg: 10,
} as const;
