import 'server-only';
import type { AppErrorCode } from '@/lib/shared/app-error';
import type { StreamedTable } from '@/lib/shared/arrow';
import { fillFeatureRows } from '@/lib/shared/models/feature-matrix';
import { readScores } from '@/lib/shared/models/model-output';
import type { BatchOutput, ModelSandbox } from './sandbox/model-sandbox';

/** Batches in flight at once: the next is prepared and sent while the runtime computes the previous one. */
const inFlight = 3;

export type PredictTableOptions = {
  /** Name of the table in messages ("nominal", a variation, or the features file). */
  table: string;
  file: string;
  errorCode: AppErrorCode;
  /** The model's input columns, in order (already checked to exist and be numeric). */
  columns: readonly string[];
  batchSize: number;
  /** Receives each batch's ids and scores in table order; memory holds a few batches, not the table. */
  onScores(ids: Float64Array, scores: Float32Array): Promise<void> | void;
};

/**
 * Runs the model over every row of a features table, batch by batch, and hands the checked scores on in row order.
 * Memory is bounded by the table's own batches and `batchSize`, not by the number of events.
 *
 * @throws {ModelRunError} from the sandbox (TIMEOUT, OUT_OF_MEMORY, RUNTIME_ERROR) or the output check (BAD_OUTPUT,
 *   naming the table, row and id).
 * @throws {AppError} `errorCode` for a bad id in the features table.
 */
export async function predictTable(sandbox: ModelSandbox, source: StreamedTable, options: PredictTableOptions): Promise<{ events: number }> {
  const width = options.columns.length;
  const queue: Array<{ output: Promise<BatchOutput>; ids: Float64Array; rows: number; firstRow: number }> = [];
  let events = 0;
  const drainOne = async () => {
    const next = queue.shift();
    if (!next) return;
    const output = await next.output;
    const scores = readScores(output, next.rows, { table: options.table, firstRow: next.firstRow, ids: next.ids });
    await options.onScores(next.ids, scores);
    events += next.rows;
  };
  try {
    for await (const batch of source.batches) {
      for (let from = 0; from < batch.numRows; from += options.batchSize) {
        const rows = Math.min(options.batchSize, batch.numRows - from);
        const x = new Float32Array(rows * width);
        const ids = new Float64Array(rows);
        fillFeatureRows(batch, options.columns, from, rows, x, ids, { file: options.file, errorCode: options.errorCode });
        const output = sandbox.run(x, rows, width);
        // Observed at once so that a failure while earlier batches are awaited is never reported as unhandled.
        output.catch(() => {});
        queue.push({ output, ids, rows, firstRow: batch.rowStart + from + 1 });
        if (queue.length >= inFlight) await drainOne();
      }
    }
    while (queue.length > 0) await drainOne();
  } finally {
    queue.length = 0;
  }
  return { events };
}
