/**
 * Plot data stored with a scored submission (table score_details), per split and variation. Computed by the scoring
 * job, drawn with JSROOT on the submission page. Nothing here is truth beyond what the metrics already reveal,
 * except `muTrue`, which the detail service strips until the phase has closed.
 */
export type BinaryScoreDetail = {
  kind: 'binary';
  /** Reduced weighted ROC curve (at most 500 points, evenly thinned if longer), from (0,0) to (1,1). */
  roc: { tpr: number[]; fpr: number[] };
  /** Weighted score histograms per class on equal bins of [0, 1]; weights as scored (renormalised to the yields). */
  histogram: { edges: number[]; signal: number[]; background: number[] };
};

export type IntervalScoreDetail = {
  kind: 'interval';
  /** Submitted intervals of the split's pseudo-experiments (at most 500, a deterministic subsample if more). */
  pe: { peId: number[]; muHat: number[]; p16: number[]; p84: number[]; muTrue: number[] | null };
  /** Coverage and mean width per bin of true μ (bins of [0.1, 3]); empty bins have count 0 and coverage null. */
  coverageByMu: { edges: number[]; coverage: (number | null)[]; meanWidth: (number | null)[]; count: number[] };
  /** The target coverage, 0.6827. */
  targetCoverage: number;
};

export type ScoreDetailData = BinaryScoreDetail | IntervalScoreDetail;
