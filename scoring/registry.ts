import { accuracyOfPrepared } from './accuracy';
import { amsOfPrepared } from './ams';
import { selectBestAmsCut } from './ams-best';
import { significanceAsimovOfPrepared } from './asimov-significance';
import { backgroundRejectionOfCurve } from './background-rejection';
import { interpolatedBackgroundRejectionOfCurve } from './background-rejection-interpolated';
import { resolveBinaryParams, type ResolvedBinaryParams } from './binary-params';
import type { IntervalScoringInput } from './interval-input';
import { computeIntervalMetrics, type IntervalMetrics } from './interval-metrics';
import { logLossOfPrepared } from './log-loss';
import { PreparedBinaryInput } from './prepared-binary-input';
import { ONE_SIGMA_COVERAGE } from './quantile-score';
import type { RocCurve } from './roc';
import { rocAucOfCurve } from './roc-auc';
import { computeTrackingMetrics, type TrackingEventSummaries, type TrackingMetrics } from './tracking-metrics';
import type { BinaryMetricParams, BinaryScoringInput } from './types';

/** What every metric declares, so a leaderboard's sort direction and label always come from the metric. */
type MetricCommon = {
  /** Stable id stored with scores and used in challenge definitions, e.g. "auc". */
  id: string;
  /** Short human label, e.g. "ROC AUC". */
  label: string;
  /**
   * Which way is better. For a metric with a {@link MetricCommon.target}, the direction applies to the distance
   * |value − target| ('minimize'), not to the value itself.
   */
  direction: 'maximize' | 'minimize';
  /** One sentence for the leaderboard's help text. */
  description: string;
  /** The ideal value when better means closer to it (coverage: 0.6827); absent for monotone metrics. */
  target?: number;
};

/** A metric of a binary classification task. */
export type BinaryMetricDefinition = MetricCommon & {
  task: 'binary';
  /**
   * Whether the value can be +Infinity: a background rejection where the background efficiency is 0, the Asimov
   * significance with no background, the AMS with no background and bReg = 0. Never NaN.
   */
  canBeInfinite: boolean;
  /** Validates the input and computes the metric (params default as in `BinaryMetricParams`). */
  compute: (input: BinaryScoringInput, params?: BinaryMetricParams) => number;
  /**
   * The same value from a prepared input shared by all metrics (one validation, one sort, one reduced ROC) or
   * from one of its bootstrap replicas.
   */
  computeFromPrepared: (prepared: PreparedBinaryInput, params: ResolvedBinaryParams) => number;
  /** The same value from an already computed ROC, with default parameters; present for metrics that need nothing else. */
  computeFromRoc?: (roc: RocCurve) => number;
};

/** A metric of a signal-strength interval task (pseudo-experiments). */
export type IntervalMetricDefinition = MetricCommon & {
  task: 'interval';
  /** Validates the input and computes the metric (see `computeIntervalMetrics`). */
  compute: (input: IntervalScoringInput) => number;
};

/** A metric of a particle-tracking task (track assignments per hit), computed from per-event summaries. */
export type TrackingMetricDefinition = MetricCommon & {
  task: 'tracking';
  /** Computes the metric over the events of `events` (see `computeTrackingMetrics`). */
  compute: (events: TrackingEventSummaries) => number;
};

/** Any metric of the registry; narrow on `task`. */
export type MetricDefinition = BinaryMetricDefinition | IntervalMetricDefinition | TrackingMetricDefinition;

function fromRoc(
  common: Omit<BinaryMetricDefinition, 'task' | 'compute' | 'computeFromPrepared' | 'computeFromRoc' | 'canBeInfinite'>,
  canBeInfinite: boolean,
  ofCurve: (roc: RocCurve, prepared?: PreparedBinaryInput, params?: ResolvedBinaryParams) => number,
) {
  return {
    ...common,
    task: 'binary',
    canBeInfinite,
    compute: (input: BinaryScoringInput, params?: BinaryMetricParams) => {
      const prepared = PreparedBinaryInput.prepare(input);
      return ofCurve(prepared.roc(), prepared, resolveBinaryParams(params, prepared.n));
    },
    computeFromPrepared: (prepared: PreparedBinaryInput, params: ResolvedBinaryParams) => ofCurve(prepared.roc(), prepared, params),
    computeFromRoc: (roc: RocCurve) => ofCurve(roc),
  } as const satisfies BinaryMetricDefinition;
}

function fromPrepared(
  common: Omit<BinaryMetricDefinition, 'task' | 'compute' | 'computeFromPrepared' | 'computeFromRoc' | 'canBeInfinite'>,
  canBeInfinite: boolean,
  ofPrepared: (prepared: PreparedBinaryInput, params: ResolvedBinaryParams) => number,
) {
  return {
    ...common,
    task: 'binary',
    canBeInfinite,
    compute: (input: BinaryScoringInput, params?: BinaryMetricParams) => {
      const prepared = PreparedBinaryInput.prepare(input);
      return ofPrepared(prepared, resolveBinaryParams(params, prepared.n));
    },
    computeFromPrepared: ofPrepared,
  } as const satisfies BinaryMetricDefinition;
}

function rejectionAt(efficiency: number) {
  return fromRoc(
    {
      id: `rejection_at_${efficiency}`,
      label: `1/εB @ εS = ${efficiency}`,
      direction: 'maximize',
      description: `Background rejection 1/εB at the first point of the reduced ROC with signal efficiency above ${efficiency} (ATLAS top-tagging convention); unbounded when no background passes.`,
    },
    true,
    (roc) => backgroundRejectionOfCurve(roc, efficiency),
  );
}

function rejectionInterpolatedAt(efficiency: number) {
  return fromRoc(
    {
      id: `rejection_interp_at_${efficiency}`,
      label: `1/εB @ εS = ${efficiency} (interp.)`,
      direction: 'maximize',
      description: `Background rejection 1/εB with εB interpolated linearly on the full ROC at signal efficiency ${efficiency}; unbounded when εB is 0 there.`,
    },
    true,
    (roc) => interpolatedBackgroundRejectionOfCurve(roc, efficiency),
  );
}

function intervalMetric(common: Omit<IntervalMetricDefinition, 'task' | 'compute'>, id: keyof IntervalMetrics) {
  return {
    ...common,
    task: 'interval',
    compute: (input: IntervalScoringInput) => computeIntervalMetrics(input)[id],
  } as const satisfies IntervalMetricDefinition;
}

function trackingMetric(common: Omit<TrackingMetricDefinition, 'task' | 'compute'>, id: keyof TrackingMetrics) {
  return {
    ...common,
    task: 'tracking',
    compute: (events: TrackingEventSummaries) => computeTrackingMetrics(events)[id],
  } as const satisfies TrackingMetricDefinition;
}

/** Every metric the platform can compute, by id. */
export const metricRegistry = {
  auc: fromRoc(
    {
      id: 'auc',
      label: 'ROC AUC',
      direction: 'maximize',
      description: 'Weighted area under the ROC curve (trapezoid rule, ties count one half); 0.5 is a random guess.',
    },
    false,
    (roc) => rocAucOfCurve(roc),
  ),
  'rejection_at_0.3': rejectionAt(0.3),
  'rejection_at_0.5': rejectionAt(0.5),
  'rejection_at_0.8': rejectionAt(0.8),
  'rejection_interp_at_0.3': rejectionInterpolatedAt(0.3),
  'rejection_interp_at_0.5': rejectionInterpolatedAt(0.5),
  'rejection_interp_at_0.8': rejectionInterpolatedAt(0.8),
  log_loss: fromPrepared(
    {
      id: 'log_loss',
      label: 'Log loss',
      direction: 'minimize',
      description: 'Weighted binary cross-entropy of the scores read as probabilities (clipped at 2.2e-16); lower is better.',
    },
    false,
    (prepared) => logLossOfPrepared(prepared),
  ),
  accuracy: fromPrepared(
    {
      id: 'accuracy',
      label: 'Accuracy',
      direction: 'maximize',
      description: 'Weighted fraction of events classified correctly, class = submitted class column or score ≥ threshold (0.5).',
    },
    false,
    accuracyOfPrepared,
  ),
  ams: fromPrepared(
    {
      id: 'ams',
      label: 'AMS',
      direction: 'maximize',
      description:
        'Approximate median significance (HiggsML 2014, b_reg = 10) of the selection class = 1 (submitted class column or score ≥ threshold), weights as absolute yields.',
    },
    true,
    amsOfPrepared,
  ),
  ams_best: fromRoc(
    {
      id: 'ams_best',
      label: 'Best AMS',
      direction: 'maximize',
      description:
        'Highest approximate median significance (HiggsML 2014, b_reg = 10) over all cuts score ≥ t, using the weights as absolute yields.',
    },
    true,
    (roc, _prepared, params) => selectBestAmsCut(roc, params?.bReg).ams,
  ),
  significance_asimov: fromPrepared(
    {
      id: 'significance_asimov',
      label: 'Asimov Z',
      direction: 'maximize',
      description:
        "Cowan's median discovery significance of the selection class = 1 with a relative background uncertainty r (challenge parameter, default 0), weights as absolute yields.",
    },
    true,
    significanceAsimovOfPrepared,
  ),
  quantile_score: intervalMetric(
    {
      id: 'quantile_score',
      label: 'Quantile score',
      direction: 'maximize',
      description: 'HiggsML Uncertainty Challenge score −ln((mean interval width + 0.001)·coverage penalty), pooled over pseudo-experiments.',
    },
    'quantile_score',
  ),
  coverage: intervalMetric(
    {
      id: 'coverage',
      label: 'Coverage',
      direction: 'minimize',
      target: ONE_SIGMA_COVERAGE,
      description: 'Fraction of pseudo-experiments whose true μ lies in [p16, p84]; best at 0.6827.',
    },
    'coverage',
  ),
  interval_width: intervalMetric(
    {
      id: 'interval_width',
      label: 'Interval width',
      direction: 'minimize',
      description: 'Mean width |p84 − p16| of the submitted 68% intervals.',
    },
    'interval_width',
  ),
  rmse: intervalMetric(
    {
      id: 'rmse',
      label: 'RMSE (μ, Δμ)',
      direction: 'minimize',
      description: 'Mean over sets of the mean per pseudo-experiment of √((μ̂−μ)² + ((μ̂−μ)² − Δμ̂²)²).',
    },
    'rmse',
  ),
  mae: intervalMetric(
    {
      id: 'mae',
      label: 'MAE (μ, Δμ)',
      direction: 'minimize',
      description: 'Mean over sets of the mean per pseudo-experiment of |μ̂−μ| + ||μ̂−μ| − Δμ̂|.',
    },
    'mae',
  ),
  trackml_score: trackingMetric(
    {
      id: 'trackml_score',
      label: 'TrackML score',
      direction: 'maximize',
      description:
        'Kaggle TrackML score: per event, the weight of the hits of tracks matched to a particle (more than half of the track and of the particle), over the total; mean over events.',
    },
    'trackml_score',
  ),
  tracking_efficiency: trackingMetric(
    {
      id: 'tracking_efficiency',
      label: 'Efficiency',
      direction: 'maximize',
      description: 'Fraction of particles with at least 4 hits that a submitted track matches (double majority), pooled over events.',
    },
    'tracking_efficiency',
  ),
  tracking_fake_rate: trackingMetric(
    {
      id: 'tracking_fake_rate',
      label: 'Fake rate',
      direction: 'minimize',
      description: 'Fraction of submitted tracks with at least 4 hits that match no particle (double majority; a noise majority is fake), pooled over events.',
    },
    'tracking_fake_rate',
  ),
} as const satisfies Record<string, MetricDefinition>;

/** Id of a metric in {@link metricRegistry}. */
export type MetricId = keyof typeof metricRegistry;

type MetricIdOfTask<Task extends MetricDefinition['task']> = { [K in MetricId]: (typeof metricRegistry)[K]['task'] extends Task ? K : never }[MetricId];

/** Id of a binary metric. */
export type BinaryMetricId = MetricIdOfTask<'binary'>;

/** Id of an interval metric. */
export type IntervalMetricId = MetricIdOfTask<'interval'>;

/** Id of a tracking metric. */
export type TrackingMetricId = MetricIdOfTask<'tracking'>;

/** Every binary metric id, in registry order (the offline scorer's output order). */
export const binaryMetricIds = (Object.keys(metricRegistry) as MetricId[]).filter(
  (id): id is BinaryMetricId => metricRegistry[id].task === 'binary',
);

/** Every interval metric id, in registry order. */
export const intervalMetricIds = (Object.keys(metricRegistry) as MetricId[]).filter(
  (id): id is IntervalMetricId => metricRegistry[id].task === 'interval',
);

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
 * The definition of binary metric `id`.
 *
 * @throws {RangeError} for an unknown id or an interval metric.
 */
export function getBinaryMetric(id: string): BinaryMetricDefinition {
  const metric = getMetric(id);
  if (metric.task !== 'binary') {
    throw new RangeError(`Metric "${id}" belongs to the ${metric.task} task, not to binary classification.`);
  }
  return metric;
}

/**
 * A value oriented so that larger is always better: the value for 'maximize', its negative for 'minimize', and
 * −|value − target| for metrics with a target. For sorting and for paired comparisons.
 *
 * @example
 * ```ts
 * orientedValue(getMetric('log_loss'), 0.3); // → -0.3
 * ```
 */
export function orientedValue(metric: Pick<MetricCommon, 'direction' | 'target'>, value: number): number {
  if (metric.target !== undefined) return -Math.abs(value - metric.target);
  return metric.direction === 'maximize' ? value : -value;
}

/** What "better" means for a metric, in words and as an arrow next to its name. */
export type MetricDirectionText = {
  /** ↑ higher is better, ↓ lower is better, →x closest to x is better. */
  arrow: string;
  /** "higher is better", "lower is better" or "closest to 0.6827 is better". */
  text: string;
};

/**
 * The one description of a metric's direction that every page, export and the CLI print: from the registry, so that
 * a metric with a target (coverage, best at 0.6827) is never labelled "lower is better".
 *
 * @example
 * ```ts
 * describeMetricDirection(getMetric('coverage')); // → { arrow: '→0.6827', text: 'closest to 0.6827 is better' }
 * ```
 */
export function describeMetricDirection(metric: Pick<MetricCommon, 'direction' | 'target'>): MetricDirectionText {
  if (metric.target !== undefined) return { arrow: `→${metric.target}`, text: `closest to ${metric.target} is better` };
  return metric.direction === 'maximize' ? { arrow: '↑', text: 'higher is better' } : { arrow: '↓', text: 'lower is better' };
}

/**
 * Computes several binary metrics on one input: validates once, sorts once (shared ROC and reduced ROC), then
 * evaluates each requested metric with the given parameters.
 *
 * @throws {ScoringError} when the input or a parameter is invalid; {RangeError} for an unknown or non-binary id.
 * @example
 * ```ts
 * computeBinaryMetrics(input, ['auc', 'ams_best']); // → { auc: 0.82…, ams_best: 0.61… }
 * computeBinaryMetrics(input, ['ams', 'accuracy'], { threshold: 0.8 });
 * ```
 */
export function computeBinaryMetrics<const Id extends MetricId>(
  input: BinaryScoringInput,
  ids: readonly Id[],
  params?: BinaryMetricParams,
): Record<Id, number> {
  const metrics = ids.map((id) => getBinaryMetric(id));
  const prepared = PreparedBinaryInput.prepare(input);
  const resolved = resolveBinaryParams(params, prepared.n);
  const values = {} as Record<Id, number>;
  ids.forEach((id, k) => {
    values[id] = (metrics[k] as BinaryMetricDefinition).computeFromPrepared(prepared, resolved);
  });
  return values;
}

/**
 * {@link computeBinaryMetrics} on an already prepared input (or a bootstrap replica) with resolved parameters.
 *
 * @throws {ScoringError}; {RangeError} for an unknown or non-binary id.
 */
export function computeBinaryMetricsOfPrepared<const Id extends MetricId>(
  prepared: PreparedBinaryInput,
  ids: readonly Id[],
  params: ResolvedBinaryParams,
): Record<Id, number> {
  const values = {} as Record<Id, number>;
  for (const id of ids) values[id] = getBinaryMetric(id).computeFromPrepared(prepared, params);
  return values;
}
