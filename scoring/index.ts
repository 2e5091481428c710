export { ams } from './ams';
export { amsBest, selectBestAmsCut, type AmsBestSelection } from './ams-best';
export { ScoringError, isScoringError, type ScoringErrorCode } from './errors';
export {
  computeBinaryMetrics,
  getMetric,
  isMetricId,
  metricRegistry,
  type MetricDefinition,
  type MetricId,
} from './registry';
export { computeRoc, type RocCurve } from './roc';
export { rocAuc, rocAucOfCurve } from './roc-auc';
export { assignPublicSplit, isPublicEvent, splitMix64, splitUniform, splitUniformBigInt } from './split';
export type { BinaryScoringInput } from './types';
export { validateBinaryInput, type BinaryClassTotals } from './validate-binary-input';
