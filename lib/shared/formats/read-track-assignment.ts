import { AppError } from '@/lib/shared/app-error';
import type { StreamedTable } from '@/lib/shared/arrow';
import { readCsvLineBlocks } from './csv-line-blocks';
import { createCsvError, formatFound, parseDecimal, parseNonNegativeInteger } from './csv-lines';
import type { AlignedPredictions } from './prediction-target';
import { TRACK_ASSIGNMENT_COLUMNS, TrackAssignmentBuilder } from './track-assignment-builder';
import type { TrackHitIndex } from './track-hit-index';

/**
 * A non-negative integer id written with digits (the fast path), or as a decimal with an integer value (`12.0`, `1e3`:
 * what a float column holding integers writes); −1 for anything else (a fraction, a sign, NaN, above 2^53 − 1).
 */
export function parseIdField(text: string, start: number, end: number): number {
  const value = parseNonNegativeInteger(text, start, end);
  if (value >= 0) return value;
  const decimal = parseDecimal(text, start, end);
  return Number.isSafeInteger(decimal) && decimal >= 0 ? decimal : -1;
}

/**
 * Reads a track-assignment CSV (`event_id,hit_id,track_id`, one row per hit of every test event, rows in any order)
 * from a byte stream, line by line, into track ids aligned to the truth's hits; memory is proportional to the hits,
 * not to the file. Line rules are those of the other predictions CSVs (`readPredictionsCsvStream`): a header naming the
 * three columns (in any order); integer ids (digits, or a decimal with an integer value such as `12.0`); three fields
 * per line; no empty lines; plain CSV; UTF-8 (a byte-order mark, CRLF and one final newline accepted).
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming file, line and column (see {@link TrackAssignmentBuilder}).
 * @example
 * ```ts
 * await readTrackAssignmentCsvStream(chunksOf('event_id,hit_id,track_id\n1000,1,7\n…'), hits, 'submission.csv');
 * ```
 */
export async function readTrackAssignmentCsvStream(chunks: AsyncIterable<Uint8Array>, hits: TrackHitIndex, file: string): Promise<AlignedPredictions> {
  const builder = new TrackAssignmentBuilder(hits, file, 'line');
  let hasHeader = false;
  let at: [number, number, number] = [0, 1, 2];
  for await (const { cursor, lineOffset } of readCsvLineBlocks(chunks, { file, errorCode: 'INVALID_SUBMISSION', maxFields: 3 })) {
    if (!hasHeader) {
      if (cursor.isEmptyText() || !cursor.nextLine()) continue;
      at = builder.acceptCsvHeader(cursor.lineText());
      hasHeader = true;
    }
    const { text, fieldStarts, fieldEnds } = cursor;
    const [e, h, t] = at;
    const found = (k: number) => cursor.fieldText(at[k] as number);
    while (cursor.nextLine()) {
      const row = lineOffset + cursor.lineNumber;
      if (cursor.isEmptyLine()) {
        throw createCsvError('INVALID_SUBMISSION', { file, row, expected: `a row ${builder.rowPattern} (remove empty lines)`, found: '', foundDescription: 'an empty line' });
      }
      const fields = cursor.splitFields();
      if (fields !== 3) {
        throw createCsvError('INVALID_SUBMISSION', {
          file,
          row,
          expected: `3 fields ${builder.rowPattern}`,
          found: cursor.lineText(),
          foundDescription: `${fields} field${fields === 1 ? '' : 's'} in ${formatFound(cursor.lineText())}`,
        });
      }
      builder.addRow(
        parseIdField(text, fieldStarts[e] as number, fieldEnds[e] as number),
        parseIdField(text, fieldStarts[h] as number, fieldEnds[h] as number),
        parseIdField(text, fieldStarts[t] as number, fieldEnds[t] as number),
        row,
        found,
      );
    }
  }
  if (!hasHeader) {
    const header = TRACK_ASSIGNMENT_COLUMNS.join(',');
    throw new AppError('INVALID_SUBMISSION', `${file} is empty; expected the header line "${header}" and one row per hit of every test event.`, {
      file,
      row: 1,
      expected: `header "${header}"`,
      found: '',
    });
  }
  return builder.finish();
}

/**
 * Reads a track-assignment table (Arrow IPC or Parquet, read batch by batch) into track ids aligned to the truth's
 * hits: the same rules as {@link readTrackAssignmentCsvStream}, except that the columns are found by name in any order
 * and may be stored in any integer or float type (a float must hold an integer).
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming file, data row (from 1) and column.
 */
export async function readTrackAssignmentTable(table: StreamedTable, hits: TrackHitIndex, file: string): Promise<AlignedPredictions> {
  const builder = new TrackAssignmentBuilder(hits, file, 'row');
  builder.acceptTableColumns(table.columnNames, table.columnTypes);
  for await (const batch of table.batches) {
    const [eventIds, hitIds, trackIds] = TRACK_ASSIGNMENT_COLUMNS.map((name) => batch.columns[name] as Float64Array) as [Float64Array, Float64Array, Float64Array];
    let i = 0;
    const found = (k: number) => String([eventIds, hitIds, trackIds][k]?.[i]);
    for (; i < batch.numRows; i++) {
      builder.addRow(eventIds[i] as number, hitIds[i] as number, trackIds[i] as number, batch.rowStart + i + 1, found);
    }
  }
  return builder.finish();
}
