import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../workers/start-worker-thread';
import type { DecodedData } from './decoded-data';
import { type DecodeJob, type DecodeTask, deserializeError, runDecodeJob, type SerializedError, transferablesOfJob } from './decode-task';
import type { ClusterTask, DecodedCluster } from './rntuple/decode-cluster';
import type { RNTupleColumnPlan } from './rntuple/rntuple-schema';

/**
 * Runs decode work of both readers on the calling thread (`jobs` 1) or on one pool of worker threads: a TTree
 * branch's baskets over an entry range (`run`), or the selected columns of an RNTuple cluster (`runCluster`).
 */
export type Decoder = {
  readonly jobs: number;
  /**
   * Decodes several TTree tasks in one message to one thread. On worker threads their basket bytes must be views
   * into buffers that belong to the group alone: those buffers are moved to the worker, not copied.
   */
  runGroup(tasks: DecodeTask[]): Promise<DecodedData[]>;
  runCluster(task: ClusterTask, plans: readonly RNTupleColumnPlan[]): Promise<DecodedCluster>;
  close(): Promise<void>;
};

/** Default parallelism: the number of cores this process may use. */
export function defaultJobs(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/** A decoding thread on decode-worker.ts, started the way every worker thread of the pipeline is. */
function startWorker(): Worker {
  return startWorkerThread(import.meta.url, 'decode-worker', null);
}

type Pending = { job: DecodeJob; transfer: ArrayBuffer[]; resolve: (data: unknown) => void; reject: (error: Error) => void };

class WorkerPool {
  private readonly workers: { worker: Worker; busy: Pending | null; id: number }[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private failure: Error | null = null;

  constructor(readonly jobs: number) {
    for (let i = 0; i < jobs; i++) {
      const slot = { worker: startWorker(), busy: null as Pending | null, id: -1 };
      slot.worker.on('message', (message: { id: number; data?: unknown; error?: SerializedError }) => {
        const pending = slot.busy;
        slot.busy = null;
        if (pending) {
          if (message.error) pending.reject(deserializeError(message.error));
          else pending.resolve(message.data);
        }
        this.dispatch();
        this.updateRefs();
      });
      slot.worker.on('error', (error) => this.fail(error));
      slot.worker.on('exit', (code) => {
        if (code !== 0 && !this.closed) this.fail(new Error(`a decoding worker exited with code ${code}`));
      });
      this.workers.push(slot);
    }
    this.updateRefs();
  }

  private closed = false;
  /** Callers currently using the pool; idle workers do not keep the process alive. */
  users = 0;

  get failed(): boolean {
    return this.failure !== null || this.closed;
  }

  /** Idle workers must not keep the process alive; busy ones must. */
  private updateRefs(): void {
    for (const slot of this.workers) {
      if (slot.busy || this.queue.length > 0) slot.worker.ref();
      else slot.worker.unref();
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const slot of this.workers) {
      slot.busy?.reject(error);
      slot.busy = null;
    }
    for (const pending of this.queue.splice(0)) pending.reject(error);
  }

  private dispatch(): void {
    for (const slot of this.workers) {
      if (slot.busy) continue;
      const pending = this.queue.shift();
      if (!pending) return;
      try {
        slot.worker.postMessage({ id: this.nextId++, job: pending.job }, pending.transfer);
        slot.busy = pending;
      } catch (error) {
        // A job that cannot be sent (e.g. a buffer already moved elsewhere) fails alone instead of waiting forever.
        pending.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** Queues a job; its input buffers are transferred to the worker (the caller must not use them again). */
  run<T>(job: DecodeJob): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    // A view whose buffer was already moved to another thread reads as empty, and posting it loses the message.
    const moved = detachedInput(job);
    if (moved) return Promise.reject(new Error(`decode job not sent: ${moved} was already moved to another thread`));
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ job, transfer: transferablesOfJob(job), resolve: resolve as (data: unknown) => void, reject });
      this.dispatch();
      this.updateRefs();
    });
  }

  async terminate(): Promise<void> {
    this.closed = true;
    await Promise.all(this.workers.map((slot) => slot.worker.terminate()));
  }
}

/** Names the first input of a job whose bytes are gone (its buffer was transferred before), or null. */
function detachedInput(job: DecodeJob): string | null {
  if (job.kind === 'cluster') return null;
  for (const task of job.tasks) {
    for (const { record, bytes } of task.baskets) {
      if (record.kind === 'disk' && bytes && bytes.length !== record.sizeBytes) return `basket ${record.index} of branch "${task.plan.branch}"`;
    }
  }
  return null;
}

/**
 * Pools by size, kept between reads: starting a worker (and compiling the decoder in it) costs far more than a
 * batch, and a build reads many files one after another. Idle workers are unreferenced, so they never keep the
 * process alive; a pool that failed is replaced.
 */
const pools = new Map<number, WorkerPool>();

/** `jobs` 1 decodes on the calling thread; more uses a pool of that many worker threads. Output is the same for any `jobs`. */
export function createDecoder(jobs: number): Decoder {
  if (jobs <= 1) {
    return {
      jobs: 1,
      runGroup: (tasks) => runDecodeJob({ kind: 'basket-group', tasks }) as Promise<DecodedData[]>,
      runCluster: (task, plans) => runDecodeJob({ kind: 'cluster', task, plans: [...plans] }) as Promise<DecodedCluster>,
      close: async () => {},
    };
  }
  let pool = pools.get(jobs);
  if (!pool || pool.failed) {
    pool = new WorkerPool(jobs);
    pools.set(jobs, pool);
  }
  const shared = pool;
  shared.users++;
  let released = false;
  return {
    jobs,
    runGroup: (tasks) => shared.run<DecodedData[]>({ kind: 'basket-group', tasks }),
    // A cluster task's pages lie in one buffer the task owns (readClusterPages), moved to the worker as it is.
    runCluster: (task, plans) => shared.run<DecodedCluster>({ kind: 'cluster', task, plans: [...plans] }),
    async close() {
      if (released) return;
      released = true;
      shared.users--;
    },
  };
}

/** Stops every pooled worker (for a process that wants to exit at once, or a test). */
export async function closeDecoderPools(): Promise<void> {
  const all = [...pools.values()];
  pools.clear();
  await Promise.all(all.map((p) => p.terminate()));
}
