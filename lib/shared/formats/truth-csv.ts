import { AppError } from '@/lib/shared/app-error';
import { CsvLineCursor, createCsvError, formatFound, parseDecimal, parseNonNegativeInteger } from './csv-lines';
import { findRepeatedId } from './id-index';

/** Per-event truth of a binary task, in file order. */
export type BinaryTruth = {
  /** Event ids (non-negative integers, distinct). */
  ids: Float64Array;
  /** 1 = signal, 0 = background. */
  labels: Uint8Array;
  /** Event weights (finite, ≥ 0), used as given. */
  weights: Float64Array;
};

const TRUTH_COLUMNS = ['id', 'label', 'weight'] as const;
type TruthColumn = (typeof TRUTH_COLUMNS)[number];

/**
 * Parses a binary-task truth file with the columns `id`, `label`, `weight`.
 *
 * Format (strict; the first problem found is reported):
 * - line 1 names the three columns, each exactly once, in any order (`id,label,weight` is the usual one); no
 *   other columns;
 * - id: a non-negative integer written with digits only, distinct across rows (checked after all rows, so a
 *   repeated id is reported after any other problem);
 * - label: `0` (background) or `1` (signal);
 * - weight: a finite decimal number ≥ 0;
 * - at least one row; no empty lines; RFC 4180 quoting; a UTF-8 byte-order mark, CRLF line endings and
 *   one final newline are accepted.
 *
 * @throws {AppError} `INVALID_DATASET`, message like `truth.csv line 4, column "label": expected 0 or 1, found "s"`,
 *   details `{ file, row, column, expected, found }` (row = 1-based line number).
 * @example
 * ```ts
 * parseTruthCsv('id,label,weight\n10,1,0.5\n11,0,2\n');
 * // → { ids: [10, 11], labels: [1, 0], weights: [0.5, 2] }
 * ```
 */
export function parseTruthCsv(text: string, options: { fileName?: string } = {}): BinaryTruth {
  const file = options.fileName ?? 'truth.csv';
  const cursor = new CsvLineCursor(text, TRUTH_COLUMNS.length, { file, errorCode: 'INVALID_DATASET' });
  if (cursor.isEmptyText() || !cursor.nextLine()) {
    throw new AppError('INVALID_DATASET', `${file} is empty; expected the header line "id,label,weight" and one row per event.`, {
      file,
      row: 1,
      expected: 'header "id,label,weight"',
      found: '',
    });
  }
  const columnIndex = readHeader(cursor, file);
  const idField = columnIndex.id;
  const labelField = columnIndex.label;
  const weightField = columnIndex.weight;

  // Rows are at most the number of newlines + 1; the arrays are trimmed at the end.
  let capacity = 1;
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) capacity++;
  const ids = new Float64Array(capacity);
  const labels = new Uint8Array(capacity);
  const weights = new Float64Array(capacity);
  let n = 0;
  while (cursor.nextLine()) {
    const row = cursor.lineNumber;
    if (cursor.isEmptyLine()) {
      throw createCsvError('INVALID_DATASET', {
        file,
        row,
        expected: 'a row "<id>,<label>,<weight>" (remove empty lines)',
        found: '',
        foundDescription: 'an empty line',
      });
    }
    const fieldCount = cursor.splitFields();
    if (fieldCount !== TRUTH_COLUMNS.length) {
      throw createCsvError('INVALID_DATASET', {
        file,
        row,
        expected: `${TRUTH_COLUMNS.length} fields`,
        found: cursor.lineText(),
        foundDescription: `${fieldCount} field${fieldCount === 1 ? '' : 's'} in ${formatFound(cursor.lineText())}`,
      });
    }

    const id = parseNonNegativeInteger(text, cursor.fieldStarts[idField] as number, cursor.fieldEnds[idField] as number);
    if (id < 0) {
      throw createCsvError('INVALID_DATASET', { file, row, column: 'id', expected: 'a non-negative integer', found: cursor.fieldText(idField) });
    }
    const labelStart = cursor.fieldStarts[labelField] as number;
    const labelCode = cursor.fieldEnds[labelField] === labelStart + 1 ? text.charCodeAt(labelStart) : -1;
    if (labelCode !== 48 && labelCode !== 49) {
      throw createCsvError('INVALID_DATASET', { file, row, column: 'label', expected: '0 or 1', found: cursor.fieldText(labelField) });
    }
    const weight = parseDecimal(text, cursor.fieldStarts[weightField] as number, cursor.fieldEnds[weightField] as number);
    if (!(weight >= 0)) {
      throw createCsvError('INVALID_DATASET', {
        file,
        row,
        column: 'weight',
        expected: 'a finite number ≥ 0',
        found: cursor.fieldText(weightField),
      });
    }
    ids[n] = id;
    labels[n] = labelCode - 48;
    weights[n] = weight;
    n++;
  }
  if (n === 0) {
    throw new AppError('INVALID_DATASET', `${file} has a header but no rows; expected one row per event.`, {
      file,
      row: 2,
      expected: 'at least one row',
      found: '0 rows',
    });
  }
  assertDistinctIds(ids.subarray(0, n), file);
  return { ids: ids.slice(0, n), labels: labels.slice(0, n), weights: weights.slice(0, n) };
}

function readHeader(cursor: CsvLineCursor, file: string): Record<TruthColumn, number> {
  const header = cursor.headerText();
  const names = header.split(',');
  const index: Partial<Record<TruthColumn, number>> = {};
  const problem = (what: string) =>
    createCsvError('INVALID_DATASET', {
      file,
      row: 1,
      expected: 'the header "id,label,weight" (the three columns in any order)',
      found: header,
      foundDescription: `${formatFound(header)} (${what})`,
    });
  names.forEach((name, k) => {
    if (!(TRUTH_COLUMNS as readonly string[]).includes(name)) throw problem(`unknown column ${formatFound(name)}`);
    const column = name as TruthColumn;
    if (index[column] !== undefined) throw problem(`column "${column}" appears twice`);
    index[column] = k;
  });
  const missing = TRUTH_COLUMNS.filter((column) => index[column] === undefined);
  if (missing.length > 0) {
    throw problem(`missing column${missing.length === 1 ? '' : 's'} ${missing.map((m) => `"${m}"`).join(', ')}`);
  }
  return index as Record<TruthColumn, number>;
}

/** Rejects a repeated id, naming the two lines (line = position + 2, as the header is line 1 and no line is skipped). */
function assertDistinctIds(ids: Float64Array, file: string): void {
  const repeated = findRepeatedId(ids);
  if (!repeated) return;
  const { id: duplicate, first, second } = repeated;
  const error = createCsvError('INVALID_DATASET', {
    file,
    row: second + 2,
    column: 'id',
    expected: 'each id exactly once',
    found: String(duplicate),
    foundDescription: `"${duplicate}" again (already on line ${first + 2})`,
  });
  error.details.firstRow = first + 2;
  throw error;
}
