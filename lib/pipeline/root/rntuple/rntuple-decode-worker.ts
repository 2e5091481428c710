/**
 * Worker-thread entry of the RNTuple reader's `jobs` option: decodes whole clusters (checksums, decompression,
 * page encodings, offsets) with the same pure code as the main thread and posts the columns back, their buffers
 * transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isAppError } from '@/lib/shared/app-error';
import { type ClusterTask, decodeCluster, type DecodedCluster } from './decode-cluster';
import type { RNTupleColumnPlan } from './rntuple-schema';
import { loadXxh3 } from './xxhash3';
import { transferablesOf } from './transferables';

export type DecodeWorkerData = { plans: RNTupleColumnPlan[] };
export type DecodeWorkerReply =
  | { ok: true; result: DecodedCluster }
  | { ok: false; error: { appError: boolean; code?: string; message: string; details?: Record<string, unknown> } };

const port = parentPort;
if (port) {
  const { plans } = workerData as DecodeWorkerData;
  const ready = loadXxh3();
  port.on('message', async (task: ClusterTask) => {
    const xxh3 = await ready;
    try {
      const result = decodeCluster(task, plans, xxh3);
      port.postMessage({ ok: true, result } satisfies DecodeWorkerReply, transferablesOf(result.columns));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reply: DecodeWorkerReply = isAppError(error)
        ? { ok: false, error: { appError: true, code: error.code, message, details: error.details } }
        : { ok: false, error: { appError: false, message: error instanceof Error ? (error.stack ?? message) : message } };
      port.postMessage(reply);
    }
  });
}
