import { AppError } from '@/lib/shared/app-error';
import type { DecodedArrowTable } from '@/lib/shared/arrow';
import { EXPECTED_BY_KIND, isValidValue, matchHeader, type ReadColumns, type TableFormat } from './column-spec';

/**
 * Reads a decoded Arrow IPC or Parquet table (see `decodeArrowTable`, `readParquetTable`) into the numeric
 * columns of a scoring file format: the same columns and value rules as {@link readCsvColumns}, found by name.
 * Numeric columns of any stored type are accepted (Float32 values are widened exactly); string columns are not.
 *
 * @throws {AppError} with the format's code, message like `truth.arrow row 3, column "label": expected 0 or 1,
 *   found 2`, details `{ file, row, column, expected, found }` (row = 1-based data row).
 * @example
 * ```ts
 * readTableColumns(decodeArrowTable(bytes), binaryTruthFormat, 'truth.arrow').columns.weight;
 * ```
 */
export function readTableColumns(table: DecodedArrowTable, format: TableFormat, file: string): ReadColumns {
  const position = matchHeader(table.columnNames, format, file, 'header');
  const rows = table.numRows;
  if (rows === 0) {
    throw new AppError(format.errorCode, `${file} has no rows; expected at least one row.`, { file, expected: 'at least one row', found: '0 rows' });
  }
  const columns: Record<string, Float64Array> = {};
  for (const spec of format.columns) {
    if ((position[spec.name] as number) < 0) continue;
    const column = table.columns[spec.name];
    if (column === undefined || Array.isArray(column)) {
      throw new AppError(format.errorCode, `${file} column "${spec.name}": expected numbers (${EXPECTED_BY_KIND[spec.kind]}), found a column of strings.`, {
        file,
        column: spec.name,
        expected: EXPECTED_BY_KIND[spec.kind],
        found: 'strings',
      });
    }
    const values = new Float64Array(rows);
    for (let k = 0; k < rows; k++) {
      const value = column[k] as number;
      if (!isValidValue(spec.kind, value)) {
        throw new AppError(
          format.errorCode,
          `${file} row ${k + 1}, column "${spec.name}": expected ${EXPECTED_BY_KIND[spec.kind]}, found ${String(value)}`,
          { file, row: k + 1, column: spec.name, expected: EXPECTED_BY_KIND[spec.kind], found: String(value) },
        );
      }
      values[k] = value;
    }
    columns[spec.name] = values;
  }
  return { file, rows, columns, place: (k) => ({ label: `row ${k + 1}`, row: k + 1 }) };
}
