import { selectBestAmsCut } from './ams-best';
import { computeRocOfValidInput, type RocCurve } from './roc';
import { rocAucOfCurve } from './roc-auc';
import type { BinaryScoringInput } from './types';
import { validateBinaryInput } from './validate-binary-input';

/**
 * A leaderboard metric: how to compute it and which way is better, so a leaderboard's sort direction
 * always comes from the metric.
 */
export type MetricDefinition = {
  /** Stable id stored with scores and used in challenge definitions, e.g. "auc". */
  id: string;
  /** Short human label, e.g. "ROC AUC". */
  label: string;
  direction: 'maximize' | 'minimize';
  task: 'binary';
  /** One sentence for the leaderboard's help text. */
  description: string;
  /** Validates the input and computes the metric. */
  compute: (input: BinaryScoringInput) => number;
  /**
   * The same value from an already computed ROC of a validated input; present for ROC-based metrics so
   * {@link computeBinaryMetrics} sorts once for all of them.
   */
  computeFromRoc?: (roc: RocCurve) => number;
};

function computeFromValidatedRoc(fromRoc: (roc: RocCurve) => number): (input: BinaryScoringInput) => number {
  return (input) => {
    validateBinaryInput(input);
    return fromRoc(computeRocOfValidInput(input));
  };
}

const aucFromRoc = (roc: RocCurve): number => rocAucOfCurve(roc);
const amsBestFromRoc = (roc: RocCurve): number => selectBestAmsCut(roc).ams;

/** Every metric the platform can compute, by id. */
export const metricRegistry = {
  auc: {
    id: 'auc',
    label: 'ROC AUC',
    direction: 'maximize',
    task: 'binary',
    description: 'Weighted area under the ROC curve (trapezoid rule, ties count one half); 0.5 is a random guess.',
    compute: computeFromValidatedRoc(aucFromRoc),
    computeFromRoc: aucFromRoc,
  },
  ams_best: {
    id: 'ams_best',
    label: 'Best AMS',
    direction: 'maximize',
    task: 'binary',
    description:
      'Highest approximate median significance (HiggsML 2014, b_reg = 10) over all cuts score ≥ t, using the weights as absolute yields.',
    compute: computeFromValidatedRoc(amsBestFromRoc),
    computeFromRoc: amsBestFromRoc,
  },
} as const satisfies Record<string, MetricDefinition>;

/** Id of a metric in {@link metricRegistry}. */
export type MetricId = keyof typeof metricRegistry;

/** Whether `id` names a metric of {@link metricRegistry}. */
export function isMetricId(id: string): id is MetricId {
  return Object.prototype.hasOwnProperty.call(metricRegistry, id);
}

/**
 * The definition of metric `id`.
 *
 * @throws {RangeError} for an unknown id, naming the known ids.
 * @example
 * ```ts
 * getMetric('auc').direction; // → 'maximize'
 * ```
 */
export function getMetric(id: string): MetricDefinition {
  if (!isMetricId(id)) {
    const known = Object.keys(metricRegistry).join(', ');
    throw new RangeError(`Unknown metric "${id}"; expected one of: ${known}.`);
  }
  return metricRegistry[id];
}

/**
 * Computes several binary metrics on one input: validates once, sorts once (shared ROC), then evaluates
 * each requested metric.
 *
 * @throws {ScoringError} when the input is invalid; {RangeError} for an unknown metric id.
 * @example
 * ```ts
 * computeBinaryMetrics(input, ['auc', 'ams_best']); // → { auc: 0.82…, ams_best: 0.61… }
 * ```
 */
export function computeBinaryMetrics<const Id extends MetricId>(
  input: BinaryScoringInput,
  ids: readonly Id[],
): Record<Id, number> {
  const metrics = ids.map((id) => getMetric(id));
  validateBinaryInput(input);
  let roc: RocCurve | undefined;
  const values = {} as Record<Id, number>;
  ids.forEach((id, k) => {
    const metric = metrics[k] as MetricDefinition;
    if (metric.computeFromRoc) {
      roc ??= computeRocOfValidInput(input);
      values[id] = metric.computeFromRoc(roc);
    } else {
      values[id] = metric.compute(input);
    }
  });
  return values;
}
