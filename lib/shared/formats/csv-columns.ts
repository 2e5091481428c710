import { AppError } from '@/lib/shared/app-error';
import { EXPECTED_BY_KIND, isValidValue, matchHeader, type ReadColumns, type TableFormat } from './column-spec';
import { CsvLineCursor, createCsvError, formatFound, parseDecimal, parseNonNegativeInteger } from './csv-lines';

/**
 * Reads a CSV scoring file whose columns are named in its header (any order) into numeric columns.
 *
 * Rules (strict; the first problem found is reported): line 1 names the columns of `format`, each at most once,
 * no others, every required one present; then one row per line with exactly as many fields; values by kind (see
 * `ColumnKind`: ids with digits only, numbers as plain decimals, no NaN/Inf/empty); no empty lines; RFC 4180 quoting
 * accepted; a UTF-8 byte-order mark, CRLF line endings and one final newline are accepted; at least one row.
 *
 * @throws {AppError} with the format's code, message like `truth.csv line 4, column "mu_true": expected a finite
 *   number, found "nan"`, details `{ file, row, column, expected, found }` (row = 1-based line number).
 * @example
 * ```ts
 * readCsvColumns('pe_id,mu_true\n0,1.0\n', intervalTruthFormat, 'truth.csv').columns.mu_true; // → Float64Array [1]
 * ```
 */
export function readCsvColumns(text: string, format: TableFormat, file: string): ReadColumns {
  const cursor = new CsvLineCursor(text, format.columns.length, { file, errorCode: format.errorCode });
  if (cursor.isEmptyText() || !cursor.nextLine()) {
    throw new AppError(format.errorCode, `${file} is empty; expected the header line "${format.header}" and one row per line.`, {
      file,
      row: 1,
      expected: `header "${format.header}"`,
      found: '',
    });
  }
  const names = cursor.headerText().split(',');
  const position = matchHeader(names, format, file, 'line 1');
  const present = format.columns.filter((spec) => (position[spec.name] as number) >= 0);

  let capacity = 1;
  for (let k = text.indexOf('\n'); k !== -1; k = text.indexOf('\n', k + 1)) capacity++;
  const columns: Record<string, Float64Array> = {};
  for (const spec of present) columns[spec.name] = new Float64Array(capacity);

  let rows = 0;
  while (cursor.nextLine()) {
    const row = cursor.lineNumber;
    if (cursor.isEmptyLine()) {
      throw createCsvError(format.errorCode, { file, row, expected: 'a data row (remove empty lines)', found: '', foundDescription: 'an empty line' });
    }
    const fieldCount = cursor.splitFields();
    if (fieldCount !== names.length) {
      throw createCsvError(format.errorCode, {
        file,
        row,
        expected: `${names.length} fields`,
        found: cursor.lineText(),
        foundDescription: `${fieldCount} field${fieldCount === 1 ? '' : 's'} in ${formatFound(cursor.lineText())}`,
      });
    }
    for (const spec of present) {
      const k = position[spec.name] as number;
      const start = cursor.fieldStarts[k] as number;
      const end = cursor.fieldEnds[k] as number;
      const value = spec.kind === 'id' ? parseNonNegativeInteger(text, start, end) : parseDecimal(text, start, end);
      const valid = spec.kind === 'id' ? value >= 0 : isValidValue(spec.kind, value) && (spec.kind !== 'binary' || end - start === 1);
      if (!valid) {
        throw createCsvError(format.errorCode, { file, row, column: spec.name, expected: EXPECTED_BY_KIND[spec.kind], found: cursor.fieldText(k) });
      }
      (columns[spec.name] as Float64Array)[rows] = value;
    }
    rows++;
  }
  if (rows === 0) {
    throw new AppError(format.errorCode, `${file} has a header but no rows; expected at least one row.`, {
      file,
      row: 2,
      expected: 'at least one row',
      found: '0 rows',
    });
  }
  for (const spec of present) columns[spec.name] = (columns[spec.name] as Float64Array).slice(0, rows);
  return { file, rows, columns, place: (k) => ({ label: `line ${k + 2}`, row: k + 2 }) };
}
