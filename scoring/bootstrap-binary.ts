import { resolveBinaryParams } from './binary-params';
import { drawResampleCounts, replicaGenerator, splitStreamKey } from './bootstrap-resampling';
import { ScoringError } from './errors';
import { percentile } from './percentile';
import { createReplicaBuffers, PreparedBinaryInput } from './prepared-binary-input';
import { getBinaryMetric, type BinaryMetricDefinition, type MetricId } from './registry';
import type { BinaryMetricParams, BinaryScoringInput } from './types';

/** Options of {@link bootstrapBinaryMetrics}. */
export type BinaryBootstrapOptions = {
  /** The challenge's seed (safe integer). */
  seed: number;
  /** Names the event set resampled, e.g. "public" or "private"; part of the resampling key. */
  splitKey: string;
  /** Total number of replicas B (e.g. 200 live, 1000 at phase close). */
  replicas: number;
  /** Metric parameters (threshold, r, class column, bReg); defaults as in `BinaryMetricParams`. */
  params?: BinaryMetricParams;
  /**
   * Replicas [from, to) to compute here, default [0, replicas): lets callers split the work across worker
   * threads and join the parts with {@link mergeBinaryBootstrapResults}.
   */
  replicaRange?: [number, number];
};

/** Values with bootstrap replicas and 68% intervals, per metric id. */
export type BinaryBootstrapResult<Id extends string = MetricId> = {
  /** Each metric on the full sample (may be Infinity for a rejection; never NaN). */
  values: Record<Id, number>;
  /** Each metric on each replica of `replicaRange`, in replica order (storable; never NaN). */
  replicaValues: Record<Id, Float64Array>;
  /** [16th, 84th] percentile of the replica values (linear interpolation, see `percentile`). */
  intervals: Record<Id, [number, number]>;
  /** The replicas computed, [from, to). */
  replicaRange: [number, number];
  /** Replica numbers that had to be redrawn because a class had zero weight (see bootstrap-resampling.ts). */
  redrawnReplicas: number[];
};

/** A replica is redrawn at most this often before the input is declared unsuited to the bootstrap. */
const MAX_DRAWS_PER_REPLICA = 1000;

/**
 * Bootstrap confidence intervals of binary metrics, paired across submissions.
 *
 * Each replica resamples the n events with replacement; the multiplicities c_i come from the shared rule of
 * bootstrap-resampling.ts, which depends only on (seed, splitKey, replica number) — and on n and the truth's
 * row order — so two submissions scored on the same split get the same resamplings and their per-replica
 * differences are paired. A replica is the input with weights w_i·c_i: the sort order of the full sample is
 * reused and every replica costs linear passes (ROC, reduced ROC and per-row sums), no sort.
 *
 * Interval: [16th, 84th] percentiles of the replica values, numpy's default linear interpolation (type 7).
 *
 * Edge cases: a replica where a class has zero total weight is redrawn from the same generator (so replicas are
 * conditioned on both classes being present, and stay shared); after 1000 failed draws → `ScoringError`
 * (`SINGLE_CLASS`). Rejections may be Infinity on the full sample or a replica (percentiles handle it); no value
 * is NaN. Invalid options → `ScoringError('INVALID_PARAMETER')`; invalid input → `ScoringError`;
 * unknown or non-binary id → `RangeError`.
 *
 * @example
 * ```ts
 * const result = bootstrapBinaryMetrics(input, ['auc', 'ams_best'], { seed: 1, splitKey: 'public', replicas: 200 });
 * result.intervals.auc; // → [0.812…, 0.829…]
 * ```
 */
export function bootstrapBinaryMetrics<const Id extends MetricId>(
  input: BinaryScoringInput | PreparedBinaryInput,
  ids: readonly Id[],
  options: BinaryBootstrapOptions,
): BinaryBootstrapResult<Id> {
  const metrics = ids.map((id) => getBinaryMetric(id));
  checkOptions(options);
  const prepared = input instanceof PreparedBinaryInput ? input : PreparedBinaryInput.prepare(input);
  const params = resolveBinaryParams(options.params, prepared.n);
  const values = {} as Record<Id, number>;
  ids.forEach((id, k) => {
    values[id] = (metrics[k] as BinaryMetricDefinition).computeFromPrepared(prepared, params);
  });
  const replicas = bootstrapBinaryReplicas(prepared, ids, options);
  return { values, ...replicas, intervals: intervalsOf(replicas.replicaValues) };
}

/**
 * The replica part of {@link bootstrapBinaryMetrics} alone (no full-sample values, no intervals): for callers
 * that split replica ranges across threads and compute the values once themselves.
 *
 * @throws {ScoringError} as `bootstrapBinaryMetrics`; {RangeError} for an unknown or non-binary id.
 */
export function bootstrapBinaryReplicas<const Id extends MetricId>(
  prepared: PreparedBinaryInput,
  ids: readonly Id[],
  options: BinaryBootstrapOptions,
): Pick<BinaryBootstrapResult<Id>, 'replicaValues' | 'replicaRange' | 'redrawnReplicas'> {
  const metrics = ids.map((id) => getBinaryMetric(id));
  const [from, to] = checkOptions(options);
  const params = resolveBinaryParams(options.params, prepared.n);
  const replicaValues = {} as Record<Id, Float64Array>;
  for (const id of ids) replicaValues[id] = new Float64Array(to - from);
  const streamKey = splitStreamKey(options.seed, options.splitKey);
  // Replicas of the sorted view, so that every pass over a replica is sequential: the counts are drawn in row
  // order (a scatter into a small array), then moved to sorted order by one pure gather.
  const space = prepared.sortedSpace();
  const order = space.sortOrder();
  const counts = new Uint16Array(prepared.n);
  const sortedCounts = new Uint16Array(prepared.n);
  const buffers = createReplicaBuffers(prepared.n);
  const redrawnReplicas: number[] = [];
  for (let replica = from; replica < to; replica++) {
    const generator = replicaGenerator(streamKey, replica);
    let resampled: PreparedBinaryInput | undefined;
    for (let draw = 0; resampled === undefined; draw++) {
      if (draw === MAX_DRAWS_PER_REPLICA) {
        throw new ScoringError(
          'SINGLE_CLASS',
          `Bootstrap replica ${replica} kept drawing a single class; ${MAX_DRAWS_PER_REPLICA} resamplings of the ${prepared.n} events all left one class with zero weight.`,
        );
      }
      if (draw === 1) redrawnReplicas.push(replica);
      drawResampleCounts(generator, counts);
      gatherCounts(counts, order, sortedCounts);
      resampled = space.withCounts(sortedCounts, buffers);
    }
    ids.forEach((id, k) => {
      (replicaValues[id] as Float64Array)[replica - from] = (metrics[k] as BinaryMetricDefinition).computeFromPrepared(
        resampled,
        params,
      );
    });
  }
  return { replicaValues, replicaRange: [from, to], redrawnReplicas };
}

/**
 * Joins results of {@link bootstrapBinaryMetrics} computed on adjacent replica ranges (e.g. by worker threads)
 * into one: replica values concatenated in replica order, intervals recomputed over all of them. The full-sample
 * values are taken from the first part (every part computes the same ones).
 *
 * @throws {ScoringError} `INVALID_PARAMETER` when the parts are empty, do not tile one range or differ in metrics.
 */
export function mergeBinaryBootstrapResults<Id extends string>(parts: ReadonlyArray<BinaryBootstrapResult<Id>>): BinaryBootstrapResult<Id> {
  const sorted = [...parts].sort((a, b) => a.replicaRange[0] - b.replicaRange[0]);
  const first = sorted[0];
  if (first === undefined) throw new ScoringError('INVALID_PARAMETER', 'Cannot merge zero bootstrap results.');
  const ids = Object.keys(first.values) as Id[];
  for (let k = 1; k < sorted.length; k++) {
    const previous = sorted[k - 1] as BinaryBootstrapResult<Id>;
    const part = sorted[k] as BinaryBootstrapResult<Id>;
    if (part.replicaRange[0] !== previous.replicaRange[1]) {
      throw new ScoringError(
        'INVALID_PARAMETER',
        `Bootstrap parts must cover adjacent replica ranges; found [${previous.replicaRange.join(', ')}) followed by [${part.replicaRange.join(', ')}).`,
      );
    }
    const partIds = Object.keys(part.values);
    if (partIds.length !== ids.length || ids.some((id) => !(id in part.values))) {
      throw new ScoringError('INVALID_PARAMETER', `Bootstrap parts must have the same metrics; found ${ids.join(', ')} and ${partIds.join(', ')}.`);
    }
  }
  const from = first.replicaRange[0];
  const to = (sorted[sorted.length - 1] as BinaryBootstrapResult<Id>).replicaRange[1];
  const replicaValues = {} as Record<Id, Float64Array>;
  for (const id of ids) {
    const joined = new Float64Array(to - from);
    for (const part of sorted) joined.set(part.replicaValues[id], part.replicaRange[0] - from);
    replicaValues[id] = joined;
  }
  return {
    values: first.values,
    replicaValues,
    intervals: intervalsOf(replicaValues),
    replicaRange: [from, to],
    redrawnReplicas: sorted.flatMap((part) => part.redrawnReplicas),
  };
}

/** sortedCounts[j] = counts[order[j] & 0x7fffffff]: one pure gather (the mask is a literal: an imported binding can cost a getter call per iteration). */
function gatherCounts(counts: Uint16Array, order: Uint32Array, sortedCounts: Uint16Array): void {
  for (let j = 0; j < sortedCounts.length; j++) sortedCounts[j] = counts[(order[j] as number) & 0x7fffffff] as number;
}

/**
 * [16th, 84th] percentiles of each metric's replica values (numpy linear interpolation, see `percentile`).
 *
 * @example
 * ```ts
 * bootstrapIntervals({ auc: replicaValues }); // → { auc: [0.81, 0.83] }
 * ```
 */
export function bootstrapIntervals<Id extends string>(replicaValues: Record<Id, Float64Array>): Record<Id, [number, number]> {
  return intervalsOf(replicaValues);
}

function intervalsOf<Id extends string>(replicaValues: Record<Id, Float64Array>): Record<Id, [number, number]> {
  const intervals = {} as Record<Id, [number, number]>;
  for (const id of Object.keys(replicaValues) as Id[]) {
    const sorted = Float64Array.from(replicaValues[id]).sort();
    intervals[id] = [percentile(sorted, 16), percentile(sorted, 84)];
  }
  return intervals;
}

function checkOptions(options: BinaryBootstrapOptions): [number, number] {
  const { replicas, splitKey } = options;
  if (!Number.isInteger(replicas) || replicas < 1) {
    throw new ScoringError('INVALID_PARAMETER', `The number of bootstrap replicas must be an integer ≥ 1; found ${replicas}.`);
  }
  if (typeof splitKey !== 'string') {
    throw new ScoringError('INVALID_PARAMETER', `The bootstrap split key must be a string; found ${String(splitKey)}.`);
  }
  const [from, to] = options.replicaRange ?? [0, replicas];
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to > replicas || from >= to) {
    throw new ScoringError(
      'INVALID_PARAMETER',
      `The replica range must satisfy 0 ≤ from < to ≤ replicas = ${replicas}; found [${from}, ${to}).`,
    );
  }
  splitStreamKey(options.seed, splitKey); // validates the seed
  return [from, to];
}
