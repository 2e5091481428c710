import type { Worker } from 'node:worker_threads';
import { AppError, type AppErrorCode } from '@/lib/shared/app-error';
import { startWorkerThread } from '../../workers/start-worker-thread';
import type { ClusterTask, DecodedCluster } from './decode-cluster';
import type { DecodeWorkerReply, DecodeWorkerTask } from './rntuple-decode-worker';
import type { RNTupleColumnPlan } from './rntuple-schema';

/** Worker threads that decode clusters for one read; `decode` resolves with the cluster's columns (buffers transferred). */
export type DecodeClusterPool = { decode(task: ClusterTask): Promise<DecodedCluster>; close(): Promise<void> };

type PooledWorker = { worker: Worker; session: number; isBusy: boolean };

/**
 * Decode workers are started once per process and kept (unreferenced while idle, so they never hold the process
 * open): a dataset build that reads many files, or a benchmark that reads one many times, pays their start once.
 */
const workers: PooledWorker[] = [];
let sessions = 0;

function startWorker(): PooledWorker {
  const pooled: PooledWorker = { worker: startWorkerThread(import.meta.url, 'rntuple-decode-worker', null), session: -1, isBusy: false };
  pooled.worker.unref();
  // A worker that dies (it should not) is dropped; the read it served fails through its 'exit' listener.
  pooled.worker.once('exit', () => workers.splice(workers.indexOf(pooled), 1));
  workers.push(pooled);
  return pooled;
}

/** A read's share of the process's decode workers: `size` of them, given the read's output columns. */
export function createDecodeClusterPool(size: number, plans: readonly RNTupleColumnPlan[]): DecodeClusterPool {
  const session = ++sessions;
  const mine = workers.filter((w) => !w.isBusy).slice(0, size);
  while (mine.length < size) mine.push(startWorker());
  for (const w of mine) w.isBusy = true;
  const idle = [...mine];
  const waiting: ((worker: PooledWorker) => void)[] = [];
  const acquire = () =>
    new Promise<PooledWorker>((resolve) => {
      const next = idle.pop();
      if (next) resolve(next);
      else waiting.push(resolve);
    });
  const release = (pooled: PooledWorker) => {
    const next = waiting.shift();
    if (next) next(pooled);
    else idle.push(pooled);
  };
  let isClosed = false;
  const inFlight = new Set<Promise<unknown>>();
  const decodeOn = async (task: ClusterTask): Promise<DecodedCluster> => {
    const pooled = await acquire();
    const { worker } = pooled;
    worker.ref();
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
        const message: DecodeWorkerTask = { session, task, ...(pooled.session === session ? {} : { plans: [...plans] }) };
        pooled.session = session;
        worker.postMessage(message, [...transfer]);
      });
    } finally {
      worker.unref();
      release(pooled);
    }
  };
  return {
    decode(task) {
      if (isClosed) return Promise.reject(new Error('the decode pool of this read is closed'));
      const decoded = decodeOn(task);
      const settled = decoded.catch(() => {});
      inFlight.add(settled);
      void settled.finally(() => inFlight.delete(settled));
      return decoded;
    },
    /** Waits for the tasks still running (a read stopped early), then hands the workers back to the process. */
    async close() {
      if (isClosed) return;
      isClosed = true;
      await Promise.all(inFlight);
      for (const w of mine) w.isBusy = false;
    },
  };
}
