import { AppError } from '@/lib/shared/app-error';
import { AlignedPredictionsBuilder, type FoundText } from './aligned-predictions-builder';
import { readCsvLineBlocks } from './csv-line-blocks';
import { createCsvError, formatFound, parseDecimal, parseNonNegativeInteger } from './csv-lines';
import type { AlignedPredictions, PredictionTarget } from './prediction-target';

/**
 * Reads a predictions CSV from a byte stream, line by line, into predictions aligned to the target's truth order;
 * memory is proportional to the target, not to the file.
 *
 * Format (strict; the first problem found is reported, in the words of `parsePredictionsCsv`):
 * - line 1 is exactly `id,score` (binary without variations; `variation,id,score` is also accepted when every
 *   variation is "nominal"), `variation,id,score` (binary with variations) or `pe_id,mu_hat,delta_mu_hat,p16,p84`;
 * - ids: digits only; numbers: plain decimals (optionally with an exponent), never NaN, Inf or empty;
 * - exactly one field per column on every line; no empty lines; RFC 4180 quoting (`"id","score"`, as R's
 *   `write.csv` writes); UTF-8 only (invalid bytes are reported with their line, UTF-16 is named as such);
 * - accepted: a UTF-8 byte-order mark, CRLF line endings, one final newline.
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming file, line and column (see {@link AlignedPredictionsBuilder}).
 * @example
 * ```ts
 * await readPredictionsCsvStream(chunksOf('id,score\n11,0.2\n10,0.9\n'), target, 'predictions.csv');
 * ```
 */
export async function readPredictionsCsvStream(chunks: AsyncIterable<Uint8Array>, target: PredictionTarget, file: string): Promise<AlignedPredictions> {
  const builder = new AlignedPredictionsBuilder(target, file, 'line');
  let hasHeader = false;
  for await (const { cursor, lineOffset } of readCsvLineBlocks(chunks, { file, errorCode: 'INVALID_SUBMISSION', maxFields: 5 })) {
    if (!hasHeader) {
      if (cursor.isEmptyText() || !cursor.nextLine()) continue;
      builder.acceptCsvHeader(cursor.headerText());
      hasHeader = true;
    }
    const { text, fieldStarts, fieldEnds } = cursor;
    const fieldCount = builder.columns.length;
    const found: FoundText = (k) => cursor.fieldText(k);
    const decimal = (k: number) => parseDecimal(text, fieldStarts[k] as number, fieldEnds[k] as number);
    const integer = (k: number) => parseNonNegativeInteger(text, fieldStarts[k] as number, fieldEnds[k] as number);
    while (cursor.nextLine()) {
      const row = lineOffset + cursor.lineNumber;
      if (cursor.isEmptyLine()) {
        throw createCsvError('INVALID_SUBMISSION', {
          file,
          row,
          expected: `a row ${builder.rowPattern} (remove empty lines)`,
          found: '',
          foundDescription: 'an empty line',
        });
      }
      const fields = cursor.splitFields();
      if (fields !== fieldCount) {
        throw createCsvError('INVALID_SUBMISSION', {
          file,
          row,
          expected: `${fieldCount} fields ${builder.rowPattern}`,
          found: cursor.lineText(),
          foundDescription: `${fields} field${fields === 1 ? '' : 's'} in ${formatFound(cursor.lineText())}`,
        });
      }
      if (target.task === 'interval-estimation') {
        builder.addIntervalRow(integer(0), decimal(1), decimal(2), decimal(3), decimal(4), row, found);
      } else if (fieldCount === 3) {
        builder.addBinaryRow(cursor.fieldText(0), integer(1), decimal(2), row, found);
      } else {
        builder.addBinaryRow(null, integer(0), decimal(1), row, found);
      }
    }
  }
  if (!hasHeader) {
    const header = builder.columns.join(',');
    throw new AppError('INVALID_SUBMISSION', `${file} is empty; expected the header line "${header}" and one row per id.`, {
      file,
      row: 1,
      expected: `header "${header}"`,
      found: '',
    });
  }
  return builder.finish();
}
