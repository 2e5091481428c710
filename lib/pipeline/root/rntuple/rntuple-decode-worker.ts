/**
 * Worker-thread entry of the RNTuple reader's `jobs` option: decodes whole clusters (checksums, decompression,
 * page encodings, offsets) with the same pure code as the main thread and posts the columns back, their buffers
 * transferred. The output columns of a read (its plans) come with its first task to this worker and are kept for
 * the tasks of the same session.
 */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '@/lib/shared/app-error';
import { type ClusterTask, decodeCluster, type DecodedCluster } from './decode-cluster';
import type { RNTupleColumnPlan } from './rntuple-schema';
import { transferablesOf } from './transferables';
import { loadXxh3 } from './xxhash3';

/** A cluster to decode for read `session`; `plans` is sent with the first task of a session to each worker. */
export type DecodeWorkerTask = { session: number; plans?: RNTupleColumnPlan[]; task: ClusterTask };
export type DecodeWorkerReply =
  | { ok: true; result: DecodedCluster }
  | { ok: false; error: { appError: boolean; code?: string; message: string; details?: Record<string, unknown> } };

const port = parentPort;
if (port) {
  const ready = loadXxh3();
  let session = -1;
  let plans: RNTupleColumnPlan[] = [];
  port.on('message', async (message: DecodeWorkerTask) => {
    const xxh3 = await ready;
    try {
      if (message.plans) {
        session = message.session;
        plans = message.plans;
      }
      if (message.session !== session) throw new Error(`task of read ${message.session} came before its columns (worker holds read ${session})`);
      const result = decodeCluster(message.task, plans, xxh3);
      port.postMessage({ ok: true, result } satisfies DecodeWorkerReply, transferablesOf(result.columns));
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      const reply: DecodeWorkerReply = isAppError(error)
        ? { ok: false, error: { appError: true, code: error.code, message: text, details: error.details } }
        : { ok: false, error: { appError: false, message: error instanceof Error ? (error.stack ?? text) : text } };
      port.postMessage(reply);
    }
  });
}
