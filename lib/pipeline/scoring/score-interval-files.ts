import { AppError } from '@/lib/shared/app-error';
import { readIntervalPredictions, readIntervalTruth } from '@/lib/shared/formats/scoring-files';
import { ScoringError } from '@/scoring/errors';
import type { IntervalScoringInput } from '@/scoring/interval-input';
import { computeIntervalMetrics, intervalSetSummary, type IntervalMetrics } from '@/scoring/interval-metrics';
import { bootstrapIntervalSets } from '@/scoring/set-bootstrap';
import { readScoringFile } from './read-scoring-file';

/** Spread of one quantity over the bootstrap resamples of sets. */
export type SpreadReport = { mean: number; std: number; p16: number; p84: number };

export type IntervalScoreReport = {
  task: 'interval';
  /** Number of pseudo-experiments (rows of the truth file). */
  n: number;
  /** Pooled over all pseudo-experiments (FAIR-Universe feedback phase). */
  metrics: IntervalMetrics;
  /** Number of sets, when the truth has a `set_id` column. */
  sets?: number;
  /**
   * Final-phase error (FAIR-Universe `compute_bootstraped_scores`), when the truth has sets: R resamples of the
   * sets, resample i drawn with numpy's `RandomState(seed + i).choice`; `std` is the quoted error.
   */
  setBootstrap?: {
    resamples: number;
    seed: number;
    quantile_score: SpreadReport;
    coverage: SpreadReport;
    interval_width: SpreadReport;
  };
};

export type ScoreIntervalFilesOptions = {
  truthPath: string;
  predictionsPath: string;
  /** Resamples and base seed of the bootstrap over sets (defaults 1000 and 42); 0 resamples = none. */
  setBootstrap?: { resamples?: number; seed?: number };
};

/**
 * Scores interval predictions (`pe_id,mu_hat,delta_mu_hat,p16,p84`) against a truth file
 * (`pe_id,mu_true[,set_id]`), rows in any order; CSV, Arrow IPC or Parquet by extension.
 *
 * @throws {AppError} `BAD_REQUEST` when a file cannot be read; `INVALID_DATASET` / `INVALID_SUBMISSION` when a
 *   file is malformed (message names file, line or row, and column).
 */
export async function scoreIntervalFiles(options: ScoreIntervalFilesOptions): Promise<IntervalScoreReport> {
  const { truthPath, predictionsPath } = options;
  const truth = readIntervalTruth(await readScoringFile(truthPath, 'truth'), truthPath);
  const predictions = readIntervalPredictions(await readScoringFile(predictionsPath, 'predictions'), truth.peIds, predictionsPath);
  const input: IntervalScoringInput = { muTrue: truth.muTrue, ...predictions };
  if (truth.setIds !== undefined) input.setIds = truth.setIds;
  try {
    const report: IntervalScoreReport = { task: 'interval', n: truth.peIds.length, metrics: computeIntervalMetrics(input) };
    if (truth.setIds !== undefined) {
      const resamples = options.setBootstrap?.resamples ?? 1000;
      report.sets = intervalSetSummary(input).setIds.length;
      if (resamples > 0) {
        const result = bootstrapIntervalSets(input, { resamples, seed: options.setBootstrap?.seed ?? 42 });
        const spread = (s: { mean: number; std: number; p16: number; p84: number }) => ({ mean: s.mean, std: s.std, p16: s.p16, p84: s.p84 });
        report.setBootstrap = {
          resamples: result.resamples,
          seed: result.seed,
          quantile_score: spread(result.quantile_score),
          coverage: spread(result.coverage),
          interval_width: spread(result.interval_width),
        };
      }
    }
    return report;
  } catch (error) {
    if (!(error instanceof ScoringError)) throw error;
    // Values were checked by the file formats; what is left (e.g. an overflowing magnitude) names the row.
    const where = error.row === undefined ? predictionsPath : `${predictionsPath} (pseudo-experiment ${truth.peIds[error.row]})`;
    throw new AppError('INVALID_SUBMISSION', `${where}: ${error.message}`, { file: predictionsPath, scoringErrorCode: error.code }, { cause: error });
  }
}
