import { Worker } from 'node:worker_threads';
import { AppError, type AppErrorCode } from '@/lib/shared/app-error';
import { startWorkerThread } from '../../workers/start-worker-thread';
import type { ClusterTask, DecodedCluster } from './decode-cluster';
import type { DecodeWorkerData, DecodeWorkerReply } from './rntuple-decode-worker';
import type { RNTupleColumnPlan } from './rntuple-schema';

/** Worker threads that decode clusters; `decode` resolves with the cluster's columns (buffers transferred). */
export type DecodeClusterPool = { decode(task: ClusterTask): Promise<DecodedCluster>; close(): Promise<void> };

/** Starts `size` decode workers for the given output columns. */
export function createDecodeClusterPool(size: number, plans: readonly RNTupleColumnPlan[]): DecodeClusterPool {
  const data: DecodeWorkerData = { plans: [...plans] };
  const workers = Array.from({ length: size }, () => createWorker(data));
  const idle = [...workers];
  const waiting: ((worker: Worker) => void)[] = [];
  const acquire = () => new Promise<Worker>((resolve) => {
    const worker = idle.pop();
    if (worker) resolve(worker);
    else waiting.push(resolve);
  });
  const release = (worker: Worker) => {
    const next = waiting.shift();
    if (next) next(worker);
    else idle.push(worker);
  };
  return {
    async decode(task) {
      const worker = await acquire();
      try {
        return await new Promise<DecodedCluster>((resolve, reject) => {
          const onError = (error: Error) => {
            cleanup();
            reject(error);
          };
          const onExit = (code: number) => {
            cleanup();
            reject(new Error(`RNTuple decode worker exited with code ${code} before answering`));
          };
          const onMessage = (reply: DecodeWorkerReply) => {
            cleanup();
            if (reply.ok) resolve(reply.result);
            else if (reply.error.appError) reject(new AppError(reply.error.code as AppErrorCode, reply.error.message, reply.error.details ?? {}));
            else reject(new Error(`RNTuple decode worker failed: ${reply.error.message}`));
          };
          const cleanup = () => {
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
          };
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.on('exit', onExit);
          const transfer = new Set<ArrayBuffer>();
          for (const column of Object.values(task.columns)) for (const page of column.pages) if (page && page.bytes.buffer instanceof ArrayBuffer) transfer.add(page.bytes.buffer);
          worker.postMessage(task, [...transfer]);
        });
      } finally {
        release(worker);
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

function createWorker(data: DecodeWorkerData): Worker {
  return startWorkerThread(import.meta.url, 'rntuple-decode-worker', data);
}
