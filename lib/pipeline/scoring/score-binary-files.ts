import { AppError } from '@/lib/shared/app-error';
import { readBinaryPredictions, readBinaryTruth } from '@/lib/shared/formats/scoring-files';
import { ScoringError } from '@/scoring/errors';
import { binaryMetricIds, computeBinaryMetrics, type BinaryMetricId } from '@/scoring/registry';
import type { BinaryMetricParams, BinaryScoringInput } from '@/scoring/types';
import { bootstrapBinaryMetricsInWorkers } from './bootstrap-workers';
import { readScoringFile } from './read-scoring-file';

/** The metrics the offline scorer reports for a binary task, in output order: every binary metric. */
export const binaryCliMetricIds: readonly BinaryMetricId[] = binaryMetricIds;

/** The split key of the offline scorer's bootstrap: the whole truth file is one event set. */
export const CLI_SPLIT_KEY = 'all';

export type BinaryScoreReport = {
  task: 'binary';
  /** Number of scored events (rows of the truth file). */
  n: number;
  /**
   * Every binary metric; `null` where the value is unbounded (+Infinity: a background rejection with ε_B = 0, an
   * Asimov significance with no selected background).
   */
  metrics: Record<BinaryMetricId, number | null>;
  /** Ids whose value is unbounded (+Infinity), present only when there is one. */
  unbounded?: BinaryMetricId[];
  /** [16th, 84th] percentile of the bootstrap replicas (null for an unbounded end), with `--bootstrap`. */
  intervals?: Record<BinaryMetricId, [number | null, number | null]>;
};

export type ScoreBinaryFilesOptions = {
  truthPath: string;
  predictionsPath: string;
  /** Selection threshold of accuracy, ams and significance_asimov (default 0.5). */
  threshold?: number;
  /** Relative background uncertainty r of significance_asimov (default 0). */
  backgroundRelativeUncertainty?: number;
  /** Bootstrap replicas and seed; the resampling key is (seed, "all", replica). */
  bootstrap?: { replicas: number; seed: number; workers?: number };
};

/**
 * Scores a binary predictions file (`id,score[,class]`) against a truth file (`id,label,weight`), rows in any
 * order; CSV, Arrow IPC or Parquet by extension. Weights are used as given (no renormalisation), so AMS values
 * are in the truth file's yield units. A `class` column, when present, is the selection of accuracy, ams and
 * significance_asimov.
 *
 * @throws {AppError} `BAD_REQUEST` when a file cannot be read; `INVALID_DATASET` / `INVALID_SUBMISSION` when a
 *   file is malformed (message names file, line or row, and column); `INVALID_DATASET` when the truth cannot be
 *   scored (e.g. a single class).
 */
export async function scoreBinaryFiles(options: ScoreBinaryFilesOptions): Promise<BinaryScoreReport> {
  const { truthPath, predictionsPath } = options;
  const truth = readBinaryTruth(await readScoringFile(truthPath, 'truth'), truthPath);
  const predictions = readBinaryPredictions(await readScoringFile(predictionsPath, 'predictions'), truth.ids, predictionsPath);
  const input: BinaryScoringInput = { labels: truth.labels, scores: predictions.scores, weights: truth.weights };
  const params: BinaryMetricParams = {};
  if (options.threshold !== undefined) params.threshold = options.threshold;
  if (options.backgroundRelativeUncertainty !== undefined) params.backgroundRelativeUncertainty = options.backgroundRelativeUncertainty;
  if (predictions.classes !== undefined) params.classes = predictions.classes;
  try {
    const ids = binaryCliMetricIds;
    let values: Record<BinaryMetricId, number>;
    let intervals: Record<BinaryMetricId, [number, number]> | undefined;
    if (options.bootstrap !== undefined && options.bootstrap.replicas > 0) {
      const result = await bootstrapBinaryMetricsInWorkers(input, ids, {
        seed: options.bootstrap.seed,
        splitKey: CLI_SPLIT_KEY,
        replicas: options.bootstrap.replicas,
        params,
        ...(options.bootstrap.workers === undefined ? {} : { workers: options.bootstrap.workers }),
      });
      values = result.values;
      intervals = result.intervals;
    } else {
      values = computeBinaryMetrics(input, ids, params);
    }
    const report: BinaryScoreReport = { task: 'binary', n: truth.ids.length, metrics: mapValues(values, finiteOrNull) };
    const unbounded = ids.filter((id) => values[id] === Infinity);
    if (unbounded.length > 0) report.unbounded = unbounded;
    if (intervals !== undefined) {
      report.intervals = mapValues(intervals, ([low, high]) => [finiteOrNull(low), finiteOrNull(high)] as [number | null, number | null]);
    }
    return report;
  } catch (error) {
    if (!(error instanceof ScoringError)) throw error;
    // Predictions and parameters were validated already, so what is left is a property of the truth file.
    const where = error.row === undefined ? truthPath : `${truthPath} line ${error.row + 2}`;
    throw new AppError('INVALID_DATASET', `${where}: ${error.message}`, {
      file: truthPath,
      ...(error.row === undefined ? {} : { row: error.row + 2 }),
      scoringErrorCode: error.code,
    }, { cause: error });
  }
}

function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

function mapValues<K extends string, A, B>(record: Record<K, A>, map: (value: A) => B): Record<K, B> {
  const out = {} as Record<K, B>;
  for (const key of Object.keys(record) as K[]) out[key] = map(record[key]);
  return out;
}
