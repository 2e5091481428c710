import { AppError, type AppErrorCode } from '../app-error';
import type { StreamedTable, TableBatch } from '../arrow';

/**
 * The model's input, taken from a features table: the `id` column and the input columns in the model's order, each
 * numeric. Shared by the server's runner (the challenge names the columns) and the `predict` CLI (every column but
 * `id`, in file order).
 *
 * @throws {AppError} `errorCode` naming the file and the missing or non-numeric column, with the columns it has.
 */
export function assertFeatureColumns(table: StreamedTable, columns: readonly string[], file: string, errorCode: AppErrorCode): void {
  const wanted = ['id', ...columns];
  for (const name of wanted) {
    const type = table.columnTypes[name];
    if (!type) {
      const has = table.columnNames.slice(0, 12).join(', ') + (table.columnNames.length > 12 ? `, … (${table.columnNames.length} columns)` : '');
      throw new AppError(errorCode, `${file} has no column "${name}", which the model needs as ${name === 'id' ? 'the event id' : 'an input'} (the file has ${has || 'no columns'}).`, {
        file,
        column: name,
        expected: `a numeric column "${name}"`,
        found: 'no such column',
      });
    }
    if (type.kind !== 'number') {
      throw new AppError(errorCode, `${file}: column "${name}" holds ${type.kind === 'string' ? 'text' : type.description}; the model's input columns and the id must be numbers.`, {
        file,
        column: name,
        expected: 'numbers',
        found: type.kind === 'string' ? 'text' : type.description,
      });
    }
  }
}

/** The columns the `predict` CLI gives the model: every column of the file but `id`, in file order. */
export function inputColumnsOfFeaturesFile(table: StreamedTable, file: string, errorCode: AppErrorCode): string[] {
  const columns = table.columnNames.filter((name) => name !== 'id');
  if (!table.columnNames.includes('id')) {
    throw new AppError(errorCode, `${file} has no "id" column; a features file holds an id column and the model's input columns in order (it has ${table.columnNames.slice(0, 12).join(', ')}).`, {
      file,
      column: 'id',
      expected: 'an "id" column',
      found: 'no such column',
    });
  }
  if (columns.length === 0) throw new AppError(errorCode, `${file} has only an "id" column; it needs the model's input columns after it.`, { file, expected: 'input columns', found: 'none' });
  return columns;
}

/**
 * Copies rows `[from, from + rows)` of a batch into `out` as a row-major float32 matrix of `columns.length` columns
 * (values are narrowed to float32, the model's input type). Checks that each id is an integer ≥ 0.
 *
 * @throws {AppError} `errorCode` naming the file, the 1-based row and the column of an id that is not an integer ≥ 0.
 */
export function fillFeatureRows(
  batch: TableBatch,
  columns: readonly string[],
  from: number,
  rows: number,
  out: Float32Array,
  ids: Float64Array,
  place: { file: string; errorCode: AppErrorCode },
): void {
  const width = columns.length;
  const idColumn = batch.columns.id as Float64Array;
  for (let r = 0; r < rows; r++) {
    const id = idColumn[from + r] as number;
    if (!Number.isSafeInteger(id) || id < 0) {
      const row = batch.rowStart + from + r + 1;
      throw new AppError(place.errorCode, `${place.file} row ${row}, column "id": expected an integer ≥ 0, found ${id}.`, { file: place.file, row, column: 'id', expected: 'an integer ≥ 0', found: String(id) });
    }
    ids[r] = id;
  }
  for (let c = 0; c < width; c++) {
    const values = batch.columns[columns[c] as string] as Float64Array;
    for (let r = 0; r < rows; r++) out[r * width + c] = values[from + r] as number;
  }
}
