import fs from 'node:fs';
import { AppError } from '@/lib/shared/app-error';
import { parsePredictionsCsv } from '@/lib/shared/formats/predictions-csv';
import { parseTruthCsv } from '@/lib/shared/formats/truth-csv';
import { ScoringError } from '@/scoring/errors';
import { computeBinaryMetrics, type MetricId } from '@/scoring/registry';

/** The metrics the offline scorer reports for a binary task, in output order. */
export const binaryCliMetricIds = ['auc', 'ams_best'] as const satisfies readonly MetricId[];

export type BinaryScoreReport = {
  task: 'binary';
  /** Number of scored events (rows of the truth file). */
  n: number;
  metrics: Record<(typeof binaryCliMetricIds)[number], number>;
};

/**
 * Scores a predictions file (`id,score`) against a truth file (`id,label,weight`), rows in any order.
 * Weights are used as given (no renormalisation), so AMS values are in the truth file's yield units.
 *
 * @throws {AppError} `BAD_REQUEST` when a file cannot be read; `INVALID_DATASET` / `INVALID_SUBMISSION` when a
 *   file is malformed (message names file, line and column); `INVALID_DATASET` when the truth cannot be
 *   scored (e.g. a single class).
 */
export function scoreBinaryFiles(paths: { truthPath: string; predictionsPath: string }): BinaryScoreReport {
  const truth = parseTruthCsv(readTextFile(paths.truthPath, 'truth'), { fileName: paths.truthPath });
  const scores = parsePredictionsCsv(readTextFile(paths.predictionsPath, 'predictions'), truth.ids, {
    fileName: paths.predictionsPath,
  });
  try {
    const metrics = computeBinaryMetrics(
      { labels: truth.labels, scores, weights: truth.weights },
      binaryCliMetricIds,
    );
    return { task: 'binary', n: truth.ids.length, metrics };
  } catch (error) {
    if (!(error instanceof ScoringError)) throw error;
    // Predictions were validated already, so what is left is a property of the truth file.
    const where = error.row === undefined ? paths.truthPath : `${paths.truthPath} line ${error.row + 2}`;
    throw new AppError('INVALID_DATASET', `${where}: ${error.message}`, {
      file: paths.truthPath,
      ...(error.row === undefined ? {} : { row: error.row + 2 }),
      scoringErrorCode: error.code,
    }, { cause: error });
  }
}

function readTextFile(filePath: string, role: string): string {
  try {
    return fs.readFileSync(filePath, 'utf8');
  } catch (error) {
    const reason =
      error instanceof Error && 'code' in error && error.code === 'ENOENT'
        ? 'no such file'
        : error instanceof Error && 'code' in error && error.code === 'EISDIR'
          ? 'it is a directory'
          : error instanceof Error
            ? error.message
            : String(error);
    throw new AppError('BAD_REQUEST', `Cannot read the ${role} file ${filePath}: ${reason}.`, { file: filePath }, { cause: error });
  }
}
