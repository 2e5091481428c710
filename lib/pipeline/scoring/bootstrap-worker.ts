/**
 * Worker-thread entry of `bootstrapBinaryMetricsInWorkers`: waits for the sort of the input (computed once on the
 * main thread), computes its replica range with the pure scoring library and posts the replica values back
 * (arrays transferred, not copied).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bootstrapBinaryReplicas, type BinaryBootstrapOptions } from '@/scoring/bootstrap-binary';
import { isScoringError } from '@/scoring/errors';
import { PreparedBinaryInput, type SortedRows } from '@/scoring/prepared-binary-input';
import type { MetricId } from '@/scoring/registry';
import type { BinaryScoringInput } from '@/scoring/types';

/** What the main thread sends at start (typed arrays view SharedArrayBuffers). */
export type BootstrapWorkerData = { input: BinaryScoringInput; ids: MetricId[]; options: BinaryBootstrapOptions };

/** The message that starts the work: the input's sort, on SharedArrayBuffers. */
export type BootstrapWorkerStart = { sorted: SortedRows };

/** What the worker answers. */
export type BootstrapWorkerReply =
  | { ok: true; replicaValues: Record<string, Float64Array>; replicaRange: [number, number]; redrawnReplicas: number[] }
  | { ok: false; error: { scoring: boolean; code?: string; message: string; row?: number } };

function run(data: BootstrapWorkerData, start: BootstrapWorkerStart): { reply: BootstrapWorkerReply; transfer: ArrayBuffer[] } {
  try {
    const prepared = PreparedBinaryInput.prepareSorted(data.input, start.sorted);
    const result = bootstrapBinaryReplicas(prepared, data.ids, data.options);
    const transfer = Object.values(result.replicaValues).map((values) => values.buffer as ArrayBuffer);
    return { reply: { ok: true, ...result }, transfer };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (isScoringError(error)) {
      return { reply: { ok: false, error: { scoring: true, code: error.code, message, ...(error.row === undefined ? {} : { row: error.row }) } }, transfer: [] };
    }
    return { reply: { ok: false, error: { scoring: false, message: error instanceof Error ? (error.stack ?? message) : message } }, transfer: [] };
  }
}

const port = parentPort;
if (port) {
  port.once('message', (start: BootstrapWorkerStart) => {
    const { reply, transfer } = run(workerData as BootstrapWorkerData, start);
    port.postMessage(reply, transfer);
  });
}
