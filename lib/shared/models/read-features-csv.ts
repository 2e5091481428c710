import { AppError } from '../app-error';
import type { StreamedTable, StreamedTableOptions, TableBatch } from '../arrow';
import { readCsvLineBlocks } from '../formats/csv-line-blocks';
import { createCsvError, parseDecimal } from '../formats/csv-lines';

/** Columns a features CSV may have (the widest real sets have a few hundred). */
const maxColumns = 10_000;

/**
 * Reads a features CSV (a header of column names, then one row of numbers per event) as a {@link StreamedTable}:
 * `batchRows` rows at a time (default 8192), so memory holds one batch however long the file is. Every column is
 * numeric; a field that is not a decimal number (empty, "nan", text) or a row with the wrong number of fields stops
 * the reading with the file, line and column named.
 *
 * @throws {AppError} `options.errorCode`
 */
export async function readFeaturesCsvBatches(chunks: AsyncIterable<Uint8Array>, options: StreamedTableOptions & { batchRows?: number }): Promise<StreamedTable> {
  const batchRows = options.batchRows ?? 8192;
  const blocks = readCsvLineBlocks(chunks, { file: options.file, errorCode: options.errorCode, maxFields: maxColumns, maxLineBytes: 1024 * 1024 });
  let first = await blocks.next();
  while (!first.done && first.value.cursor.isEmptyText()) first = await blocks.next();
  if (first.done || !first.value.cursor.nextLine()) {
    throw new AppError(options.errorCode, `${options.file} is empty; expected a header line (id and the input columns) and one row per event.`, { file: options.file, expected: 'a header line', found: 'an empty file' });
  }
  const header = first.value.cursor;
  const count = header.splitFields();
  if (count > maxColumns) {
    throw createCsvError(options.errorCode, { file: options.file, row: 1, expected: `at most ${maxColumns} columns`, found: '', foundDescription: `${count} columns` });
  }
  const columnNames: string[] = [];
  for (let k = 0; k < count; k++) {
    const name = header.fieldText(k).trim();
    if (name === '' || columnNames.includes(name)) {
      throw createCsvError(options.errorCode, { file: options.file, row: 1, column: name, expected: 'unique, non-empty column names', found: name });
    }
    columnNames.push(name);
  }
  const columnTypes = Object.fromEntries(columnNames.map((name) => [name, { kind: 'number' as const }]));

  async function* batches(): AsyncGenerator<TableBatch> {
    let columns = columnNames.map(() => new Float64Array(batchRows));
    let filled = 0;
    let rowStart = 0;
    const flush = (): TableBatch => {
      const batch: TableBatch = { rowStart, numRows: filled, columns: Object.fromEntries(columnNames.map((name, c) => [name, (columns[c] as Float64Array).subarray(0, filled)])) };
      rowStart += filled;
      filled = 0;
      columns = columnNames.map(() => new Float64Array(batchRows));
      return batch;
    };
    let block: { cursor: typeof header; lineOffset: number } | undefined = first.done ? undefined : first.value;
    while (block) {
      const { cursor, lineOffset } = block;
      while (cursor.nextLine()) {
        const line = lineOffset + cursor.lineNumber;
        if (cursor.isEmptyLine()) {
          throw createCsvError(options.errorCode, { file: options.file, row: line, expected: `${columnNames.length} comma-separated numbers`, found: '', foundDescription: 'an empty line' });
        }
        const fields = cursor.splitFields();
        if (fields !== columnNames.length) {
          throw createCsvError(options.errorCode, { file: options.file, row: line, expected: `${columnNames.length} fields (${columnNames.slice(0, 4).join(',')}${columnNames.length > 4 ? ',…' : ''})`, found: cursor.lineText(), foundDescription: `${fields} fields` });
        }
        for (let c = 0; c < fields; c++) {
          const start = cursor.fieldStarts[c] as number;
          const end = cursor.fieldEnds[c] as number;
          const value = parseDecimal(cursor.text, start, end);
          if (Number.isNaN(value)) {
            throw createCsvError(options.errorCode, { file: options.file, row: line, column: columnNames[c], expected: 'a finite decimal number', found: cursor.text.slice(start, end) });
          }
          (columns[c] as Float64Array)[filled] = value;
        }
        filled++;
        if (filled === batchRows) yield flush();
      }
      const next = await blocks.next();
      block = next.done ? undefined : next.value;
    }
    if (filled > 0) yield flush();
  }
  return { columnNames, columnTypes, batches: batches() };
}
