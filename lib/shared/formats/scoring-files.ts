import { AppError } from '@/lib/shared/app-error';
import type { DecodedArrowTable } from '@/lib/shared/arrow';
import type { ReadColumns, TableFormat } from './column-spec';
import { readCsvColumns } from './csv-columns';
import { createIdIndex, findRepeatedId } from './id-index';
import { readTableColumns } from './table-columns';
import type { BinaryTruth } from './truth-csv';

/** Binary truth: `id,label,weight` (label 1 = signal; weights ≥ 0, used as given). */
export const binaryTruthFormat: TableFormat = {
  columns: [
    { name: 'id', kind: 'id', required: true },
    { name: 'label', kind: 'binary', required: true },
    { name: 'weight', kind: 'non-negative', required: true },
  ],
  errorCode: 'INVALID_DATASET',
  header: 'id,label,weight',
};

/** Binary predictions: `id,score[,class]` (score in [0, 1]; optional submitted class 0/1). */
export const binaryPredictionsFormat: TableFormat = {
  columns: [
    { name: 'id', kind: 'id', required: true },
    { name: 'score', kind: 'unit-interval', required: true },
    { name: 'class', kind: 'binary', required: false },
  ],
  errorCode: 'INVALID_SUBMISSION',
  header: 'id,score[,class]',
};

/** Interval truth: `pe_id,mu_true[,set_id]` (one row per pseudo-experiment; set ids non-negative integers). */
export const intervalTruthFormat: TableFormat = {
  columns: [
    { name: 'pe_id', kind: 'id', required: true },
    { name: 'mu_true', kind: 'interval-value', required: true },
    { name: 'set_id', kind: 'id', required: false },
  ],
  errorCode: 'INVALID_DATASET',
  header: 'pe_id,mu_true[,set_id]',
};

/** Interval predictions: `pe_id,mu_hat,delta_mu_hat,p16,p84` (delta_mu_hat ≥ 0). */
export const intervalPredictionsFormat: TableFormat = {
  columns: [
    { name: 'pe_id', kind: 'id', required: true },
    { name: 'mu_hat', kind: 'interval-value', required: true },
    { name: 'delta_mu_hat', kind: 'interval-width', required: true },
    { name: 'p16', kind: 'interval-value', required: true },
    { name: 'p84', kind: 'interval-value', required: true },
  ],
  errorCode: 'INVALID_SUBMISSION',
  header: 'pe_id,mu_hat,delta_mu_hat,p16,p84',
};

/** Predictions of a binary task aligned to the truth's rows. */
export type BinaryPredictions = {
  /** scores[k] = score of the truth's k-th id. */
  scores: Float64Array;
  /** Submitted classes aligned the same way, when the file has a `class` column. */
  classes?: Uint8Array;
};

/** Truth of an interval task, in file order. */
export type IntervalTruth = { peIds: Float64Array; muTrue: Float64Array; setIds?: Float64Array };

/** Predictions of an interval task aligned to the truth's pseudo-experiments. */
export type IntervalPredictions = { muHat: Float64Array; deltaMuHat: Float64Array; p16: Float64Array; p84: Float64Array };

/** A scoring file already read: CSV text or a decoded Arrow IPC / Parquet table. */
export type ScoringFileContent = { kind: 'csv'; text: string } | { kind: 'table'; table: DecodedArrowTable };

/**
 * The columns of a scoring file in the given format, from CSV text or a decoded table.
 *
 * @throws {AppError} with the format's code, naming file, line/row and column.
 */
export function readScoringColumns(content: ScoringFileContent, format: TableFormat, file: string): ReadColumns {
  return content.kind === 'csv' ? readCsvColumns(content.text, format, file) : readTableColumns(content.table, format, file);
}

/**
 * Binary truth (`id,label,weight`) from a CSV or table file, ids distinct.
 *
 * @throws {AppError} `INVALID_DATASET`, naming file, line/row and column.
 * @example
 * ```ts
 * readBinaryTruth({ kind: 'csv', text: 'id,label,weight\n1,1,0.5\n2,0,2\n' }, 'truth.csv');
 * ```
 */
export function readBinaryTruth(content: ScoringFileContent, file: string): BinaryTruth {
  const read = readScoringColumns(content, binaryTruthFormat, file);
  const ids = read.columns.id as Float64Array;
  assertDistinctIds(read, 'id', 'INVALID_DATASET');
  return { ids, labels: Uint8Array.from(read.columns.label as Float64Array), weights: read.columns.weight as Float64Array };
}

/**
 * Binary predictions (`id,score[,class]`) aligned to `expectedIds` (rows in any order, each id exactly once).
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming file, line/row and column; a missing id gives the count and
 *   the first few.
 * @example
 * ```ts
 * readBinaryPredictions({ kind: 'csv', text: 'id,score,class\n2,0.1,0\n1,0.9,1\n' }, [1, 2], 'predictions.csv');
 * // → { scores: [0.9, 0.1], classes: [1, 0] }
 * ```
 */
export function readBinaryPredictions(content: ScoringFileContent, expectedIds: ArrayLike<number>, file: string): BinaryPredictions {
  const read = readScoringColumns(content, binaryPredictionsFormat, file);
  const positions = alignToIds(read, 'id', expectedIds);
  const scores = scatter(read.columns.score as Float64Array, positions);
  const classColumn = read.columns.class;
  if (classColumn === undefined) return { scores };
  return { scores, classes: Uint8Array.from(scatter(classColumn, positions)) };
}

/**
 * Interval truth (`pe_id,mu_true[,set_id]`), pseudo-experiment ids distinct.
 *
 * @throws {AppError} `INVALID_DATASET`, naming file, line/row and column.
 */
export function readIntervalTruth(content: ScoringFileContent, file: string): IntervalTruth {
  const read = readScoringColumns(content, intervalTruthFormat, file);
  assertDistinctIds(read, 'pe_id', 'INVALID_DATASET');
  const truth: IntervalTruth = { peIds: read.columns.pe_id as Float64Array, muTrue: read.columns.mu_true as Float64Array };
  if (read.columns.set_id !== undefined) truth.setIds = read.columns.set_id;
  return truth;
}

/**
 * Interval predictions (`pe_id,mu_hat,delta_mu_hat,p16,p84`) aligned to the truth's pseudo-experiment ids.
 *
 * @throws {AppError} `INVALID_SUBMISSION`, naming file, line/row and column.
 */
export function readIntervalPredictions(content: ScoringFileContent, expectedPeIds: ArrayLike<number>, file: string): IntervalPredictions {
  const read = readScoringColumns(content, intervalPredictionsFormat, file);
  const positions = alignToIds(read, 'pe_id', expectedPeIds);
  return {
    muHat: scatter(read.columns.mu_hat as Float64Array, positions),
    deltaMuHat: scatter(read.columns.delta_mu_hat as Float64Array, positions),
    p16: scatter(read.columns.p16 as Float64Array, positions),
    p84: scatter(read.columns.p84 as Float64Array, positions),
  };
}

const MAX_LISTED_MISSING_IDS = 5;

/** positions[k] = index in expectedIds of the id on row k; rejects unknown, repeated and missing ids. */
function alignToIds(read: ReadColumns, idColumn: string, expectedIds: ArrayLike<number>): Int32Array {
  const { file } = read;
  const ids = read.columns[idColumn] as Float64Array;
  const positionOf = createIdIndex(expectedIds);
  const expectedCount = expectedIds.length;
  const rowOfPosition = new Int32Array(expectedCount).fill(-1);
  const positions = new Int32Array(read.rows);
  for (let k = 0; k < read.rows; k++) {
    const id = ids[k] as number;
    const position = positionOf(id);
    const { label, row } = read.place(k);
    if (position < 0) {
      throw new AppError('INVALID_SUBMISSION', `${file} ${label}, column "${idColumn}": expected an id of the test set, found "${id}", which is not in the test set`, {
        file,
        row,
        column: idColumn,
        expected: 'an id of the test set',
        found: String(id),
      });
    }
    const first = rowOfPosition[position] as number;
    if (first >= 0) {
      const firstPlace = read.place(first);
      throw new AppError('INVALID_SUBMISSION', `${file} ${label}, column "${idColumn}": expected each id exactly once, found "${id}" again (already on ${firstPlace.label})`, {
        file,
        row,
        column: idColumn,
        expected: 'each id exactly once',
        found: String(id),
        firstRow: firstPlace.row,
      });
    }
    rowOfPosition[position] = k;
    positions[k] = position;
  }
  if (read.rows < expectedCount) {
    const missing: number[] = [];
    for (let p = 0; p < expectedCount && missing.length < MAX_LISTED_MISSING_IDS; p++) {
      if (rowOfPosition[p] === -1) missing.push(expectedIds[p] as number);
    }
    const missingCount = expectedCount - read.rows;
    const listed = missing.join(', ') + (missingCount > missing.length ? ', …' : '');
    throw new AppError(
      'INVALID_SUBMISSION',
      `${file} is missing ${missingCount} of the ${expectedCount} ids of the test set (${listed}); expected exactly one row per id.`,
      { file, expected: `${expectedCount} rows`, found: `${read.rows} rows`, missingCount, missingIds: missing },
    );
  }
  return positions;
}

function assertDistinctIds(read: ReadColumns, idColumn: string, code: 'INVALID_DATASET'): void {
  const repeated = findRepeatedId(read.columns[idColumn] as Float64Array);
  if (!repeated) return;
  const { id: duplicate, first, second } = repeated;
  const { label, row } = read.place(second);
  const firstPlace = read.place(first);
  throw new AppError(code, `${read.file} ${label}, column "${idColumn}": expected each id exactly once, found "${duplicate}" again (already on ${firstPlace.label})`, {
    file: read.file,
    row,
    column: idColumn,
    expected: 'each id exactly once',
    found: String(duplicate),
    firstRow: firstPlace.row,
  });
}

function scatter(values: Float64Array, positions: Int32Array): Float64Array {
  const out = new Float64Array(values.length);
  for (let k = 0; k < values.length; k++) out[positions[k] as number] = values[k] as number;
  return out;
}
