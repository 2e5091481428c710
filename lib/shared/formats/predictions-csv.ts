import { AppError } from '@/lib/shared/app-error';
import { CsvLineCursor, createCsvError, formatFound, parseDecimal, parseNonNegativeInteger } from './csv-lines';
import { createIdIndex } from './id-index';

const HEADER = 'id,score';
const MAX_LISTED_MISSING_IDS = 5;

/**
 * Parses a submission `predictions.csv` and returns the scores aligned to `expectedIds`
 * (result[k] is the score of the row whose id is expectedIds[k]); rows may come in any order.
 *
 * Format (strict; the first problem found is reported):
 * - line 1 is exactly `id,score`; then one row `<id>,<score>` per expected id, each id exactly once;
 * - id: a non-negative integer written with digits only; it must be one of `expectedIds`;
 * - score: a decimal number (optionally with an exponent) in [0, 1]; NaN, Inf, empty are rejected;
 * - exactly two fields per row; no empty lines; RFC 4180 quoting accepted;
 * - accepted: a UTF-8 byte-order mark, CRLF line endings, one final newline.
 *
 * @throws {AppError} `INVALID_SUBMISSION`, message like
 *   `predictions.csv line 7, column "score": expected a number in [0, 1], found "1.2"`, details
 *   `{ file, row, column, expected, found }` (row = 1-based line number; a duplicated id also gives `firstRow`;
 *   missing ids give `missingCount` and no row). `INVALID_DATASET` when `expectedIds` itself is not a list of
 *   distinct non-negative integers (a server-side problem, not the participant's).
 * @example
 * ```ts
 * parsePredictionsCsv('id,score\n11,0.2\n10,0.9\n', [10, 11]); // → Float64Array [0.9, 0.2]
 * ```
 */
export function parsePredictionsCsv(
  text: string,
  expectedIds: ArrayLike<number>,
  options: { fileName?: string } = {},
): Float64Array {
  const file = options.fileName ?? 'predictions.csv';
  const expectedCount = expectedIds.length;
  const positionOf = createIdIndex(expectedIds);
  const cursor = new CsvLineCursor(text, 2, { file, errorCode: 'INVALID_SUBMISSION' });

  if (cursor.isEmptyText() || !cursor.nextLine()) {
    throw new AppError('INVALID_SUBMISSION', `${file} is empty; expected the header line "${HEADER}" and one row per id.`, {
      file,
      row: 1,
      expected: `header "${HEADER}"`,
      found: '',
    });
  }
  const header = cursor.headerText();
  if (header !== HEADER) {
    const looksLikeData = /^\d+,/.test(header);
    throw createCsvError('INVALID_SUBMISSION', {
      file,
      row: 1,
      expected: `the header "${HEADER}"`,
      found: header,
      foundDescription: `${formatFound(header)}${looksLikeData ? ' (the header line seems to be missing)' : ''}`,
    });
  }

  const scores = new Float64Array(expectedCount);
  const lineOfPosition = new Int32Array(expectedCount);
  let rowCount = 0;
  while (cursor.nextLine()) {
    const row = cursor.lineNumber;
    if (cursor.isEmptyLine()) {
      throw createCsvError('INVALID_SUBMISSION', {
        file,
        row,
        expected: `a row "<id>,<score>" (remove empty lines)`,
        found: '',
        foundDescription: 'an empty line',
      });
    }
    const fieldCount = cursor.splitFields();
    if (fieldCount !== 2) {
      throw createCsvError('INVALID_SUBMISSION', {
        file,
        row,
        expected: '2 fields "<id>,<score>"',
        found: cursor.lineText(),
        foundDescription: `${fieldCount} field${fieldCount === 1 ? '' : 's'} in ${formatFound(cursor.lineText())}`,
      });
    }

    const idStart = cursor.fieldStarts[0] as number;
    const idEnd = cursor.fieldEnds[0] as number;
    const id = parseNonNegativeInteger(text, idStart, idEnd);
    if (id < 0) {
      throw createCsvError('INVALID_SUBMISSION', {
        file,
        row,
        column: 'id',
        expected: 'a non-negative integer',
        found: cursor.fieldText(0),
      });
    }
    const position = positionOf(id);
    if (position < 0) {
      throw createCsvError('INVALID_SUBMISSION', {
        file,
        row,
        column: 'id',
        expected: 'an id of the test set',
        found: cursor.fieldText(0),
        foundDescription: `${formatFound(cursor.fieldText(0))}, which is not in the test set`,
      });
    }
    const firstRow = lineOfPosition[position] as number;
    if (firstRow !== 0) {
      const error = createCsvError('INVALID_SUBMISSION', {
        file,
        row,
        column: 'id',
        expected: 'each id exactly once',
        found: cursor.fieldText(0),
        foundDescription: `${formatFound(cursor.fieldText(0))} again (already on line ${firstRow})`,
      });
      error.details.firstRow = firstRow;
      throw error;
    }

    const score = parseDecimal(text, cursor.fieldStarts[1] as number, cursor.fieldEnds[1] as number);
    if (!(score >= 0 && score <= 1)) {
      throw createCsvError('INVALID_SUBMISSION', {
        file,
        row,
        column: 'score',
        expected: 'a number in [0, 1]',
        found: cursor.fieldText(1),
      });
    }
    scores[position] = score;
    lineOfPosition[position] = row;
    rowCount++;
  }

  if (rowCount < expectedCount) {
    if (rowCount === 0) {
      throw new AppError(
        'INVALID_SUBMISSION',
        `${file} has a header but no rows; expected ${expectedCount} rows, one per id of the test set.`,
        { file, row: 2, expected: `${expectedCount} rows`, found: '0 rows' },
      );
    }
    const missing: number[] = [];
    for (let k = 0; k < expectedCount && missing.length < MAX_LISTED_MISSING_IDS; k++) {
      if (lineOfPosition[k] === 0) missing.push(expectedIds[k] as number);
    }
    const missingCount = expectedCount - rowCount;
    const listed = missing.join(', ') + (missingCount > missing.length ? ', …' : '');
    throw new AppError(
      'INVALID_SUBMISSION',
      `${file} is missing ${missingCount} of the ${expectedCount} ids of the test set (${listed}); expected exactly one row per id.`,
      { file, expected: `${expectedCount} rows`, found: `${rowCount} rows`, missingCount, missingIds: missing },
    );
  }
  return scores;
}
