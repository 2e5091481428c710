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

/** Counts per bin of a particle quantity (pT or η); empty bins have zeros. Candidates and fakes are binned by the track's majority particle. */
export type TrackingBins = {
  edges: number[];
  /** Particles with particle_id ≠ 0 and at least 4 hits. */
  reconstructable: number[];
  /** Of those, the ones a good track matches. */
  matched: number[];
  /** Submitted tracks with at least 4 hits whose majority particle falls in the bin (noise-majority tracks are in no bin). */
  candidates: number[];
  /** Of those, the ones that are not good. */
  fakes: number[];
};

export type TrackingScoreDetail = {
  kind: 'tracking';
  /** Every event of the split (ascending id): its TrackML score, efficiency and fake rate (null: nothing to count). */
  events: { eventId: number[]; score: number[]; efficiency: (number | null)[]; fakeRate: (number | null)[] };
  /** By particle transverse momentum (GeV; under- and overflow in the edge bins). */
  byPt: TrackingBins;
  /** By particle pseudorapidity (under- and overflow in the edge bins). */
  byEta: TrackingBins;
  /**
   * One event of the split (the first by id), its hits (mm, at most 8 000, an even subsample of larger events) with
   * the submitted track of each as a colour index 0, 1, … in order of first appearance. Hit positions are public test
   * data; nothing of the truth is in here.
   */
  display: { eventId: number; x: number[]; y: number[]; z: number[]; track: number[]; hits: number; tracks: number } | null;
};

export type ScoreDetailData = BinaryScoreDetail | IntervalScoreDetail | TrackingScoreDetail;
