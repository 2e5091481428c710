import type { StreamedTable } from '@/lib/shared/arrow';
import { AlignedPredictionsBuilder, type FoundText } from './aligned-predictions-builder';
import type { AlignedPredictions, PredictionTarget } from './prediction-target';
import { readTrackAssignmentTable } from './read-track-assignment';

/**
 * Reads a predictions table (Arrow IPC or Parquet, see `readArrowStreamBatches`, `readArrowFileBatches`,
 * `readParquetRowGroups`) batch by batch into predictions aligned to the target's truth order. The same rules as
 * {@link readPredictionsCsvStream}, except that columns are found by name in any order, ids and values may be stored
 * in any integer or float type, and `variation` is a string column.
 *
 * @throws {AppError} `INVALID_SUBMISSION` naming file, data row (from 1) and column, e.g. `predictions.parquet row 3,
 *   column "score": expected a number in [0, 1], found "1.7"`.
 */
export async function readPredictionsTable(table: StreamedTable, target: PredictionTarget, file: string): Promise<AlignedPredictions> {
  if (target.task === 'track-assignment') return readTrackAssignmentTable(table, target.hits, file);
  const builder = new AlignedPredictionsBuilder(target, file, 'row');
  const names = builder.acceptTableColumns(table.columnNames, table.columnTypes);
  for await (const batch of table.batches) {
    const columns = names.map((name) => batch.columns[name] as Float64Array | string[]);
    let i = 0;
    const found: FoundText = (k) => String((columns[k] as Float64Array | string[])[i]);
    if (target.task === 'interval-estimation') {
      const [peId, muHat, deltaMuHat, p16, p84] = columns as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
      for (; i < batch.numRows; i++) {
        const row = batch.rowStart + i + 1;
        builder.addIntervalRow(peId[i] as number, muHat[i] as number, deltaMuHat[i] as number, p16[i] as number, p84[i] as number, row, found);
      }
    } else {
      const hasVariation = names.length === 3;
      const variations = hasVariation ? (columns[0] as string[]) : null;
      const ids = columns[hasVariation ? 1 : 0] as Float64Array;
      const scores = columns[hasVariation ? 2 : 1] as Float64Array;
      for (; i < batch.numRows; i++) {
        builder.addBinaryRow(variations ? (variations[i] as string) : null, ids[i] as number, scores[i] as number, batch.rowStart + i + 1, found);
      }
    }
  }
  return builder.finish();
}
