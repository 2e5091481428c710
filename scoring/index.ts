export { accuracy, accuracyOfPrepared } from './accuracy';
export { ams, amsOfPrepared } from './ams';
export { amsBest, selectBestAmsCut, type AmsBestSelection } from './ams-best';
export { asimovSignificance, significanceAsimov, significanceAsimovOfPrepared } from './asimov-significance';
export {
  backgroundRejection,
  backgroundRejectionOfCurve,
  workingPointOfCurve,
  type WorkingPoint,
  type WorkingPointRule,
} from './background-rejection';
export {
  interpolatedBackgroundRejection,
  interpolatedBackgroundRejectionOfCurve,
} from './background-rejection-interpolated';
export { resolveBinaryParams, type ResolvedBinaryParams } from './binary-params';
export {
  bootstrapBinaryMetrics,
  bootstrapBinaryReplicas,
  bootstrapIntervals,
  mergeBinaryBootstrapResults,
  type BinaryBootstrapOptions,
  type BinaryBootstrapResult,
} from './bootstrap-binary';
export {
  drawResampleCounts,
  fnv1a64,
  highWordOfProduct,
  replicaGenerator,
  splitStreamKey,
  Xoshiro128StarStar,
} from './bootstrap-resampling';
export { intervalCoverage } from './coverage';
export { ScoringError, isScoringError, type ScoringErrorCode } from './errors';
export { MAX_INTERVAL_MAGNITUDE, validateIntervalInput, type IntervalScoringInput, type IntervalSets } from './interval-input';
export {
  computeIntervalMetrics,
  intervalSetSummary,
  type IntervalMetrics,
  type IntervalSetSummary,
} from './interval-metrics';
export { intervalWidth } from './interval-width';
export { LOG_LOSS_EPSILON, logLoss, logLossOfPrepared, logLossTerms } from './log-loss';
export { Mt19937 } from './mt19937';
export { percentile, percentiles } from './percentile';
export { createReplicaBuffers, PreparedBinaryInput, type ReplicaBuffers, type SortedRows } from './prepared-binary-input';
export { coveragePenalty, ONE_SIGMA_COVERAGE, QUANTILE_SCORE_EPSILON, quantileScore } from './quantile-score';
export { isReducedRocPoint, reducedRocPointIndices } from './reduced-roc';
export {
  binaryMetricIds,
  computeBinaryMetrics,
  computeBinaryMetricsOfPrepared,
  getBinaryMetric,
  getMetric,
  intervalMetricIds,
  isMetricId,
  metricRegistry,
  orientedValue,
  type BinaryMetricDefinition,
  type BinaryMetricId,
  type IntervalMetricDefinition,
  type IntervalMetricId,
  type MetricDefinition,
  type MetricId,
} from './registry';
export { computeRoc, sortByDescendingScore, type RocCurve } from './roc';
export { rocAuc, rocAucOfCurve } from './roc-auc';
export { selectedYields, selectionMask, type SelectionSummary, type SelectionYields } from './selection';
export { bootstrapIntervalSets, type ResampledSpread, type SetBootstrapResult } from './set-bootstrap';
export { signalStrengthMaeTerm } from './signal-strength-mae';
export { signalStrengthRmseTerm } from './signal-strength-rmse';
export { assignPublicSplit, isPublicEvent, splitMix64, splitUniform, splitUniformBigInt } from './split';
export {
  systematicRobustness,
  type SystematicRobustness,
  type SystematicVariation,
} from './systematic-robustness';
export { pairedTieGroups, type TieGroupEntry, type TieGroupRank } from './tie-groups';
export { DEFAULT_BINARY_PARAMS, type BinaryMetricParams, type BinaryScoringInput } from './types';
export { validateBinaryInput, type BinaryClassTotals } from './validate-binary-input';
