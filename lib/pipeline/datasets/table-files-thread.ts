import type { Worker } from 'node:worker_threads';
import { AppError } from '@/lib/shared/app-error';
import { deserializeError, type SerializedError } from '../root/decode-task';
import { prepareWorkerThread, startWorkerThread } from '../workers/start-worker-thread';
import type { TableFilesOptions } from './table-files';

/** A table's files as a writer thread opens them (the date as milliseconds; progress goes back as messages). */
export type TableFilesThreadOptions = Omit<TableFilesOptions, 'progress' | 'rootDate'> & { rootDate: number | null };

export type TableFilesRequest = { id: number } & (
  | { kind: 'open'; table: TableFilesThreadOptions }
  | { kind: 'append'; table: string; columns: Record<string, ArrayLike<unknown>>; rows: number }
  | { kind: 'finish'; table: string }
  | { kind: 'close' }
);
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
type Answer = { kind: 'answer'; id: number; ok: true; result: unknown } | { kind: 'answer'; id: number; ok: false; error: SerializedError } | { kind: 'progress'; message: string };

/** Bundles the writer thread's entry off this thread ahead of time (from TypeScript), so that it starts at once later. */
export function prepareTableFilesThreads(): Promise<void> {
  return prepareWorkerThread(import.meta.url, 'table-files-worker');
}

/** Batches in flight to one thread before an append waits: memory is bounded by this many batches per thread. */
const MAX_APPENDS_IN_FLIGHT = 2;

/**
 * A dataset writer thread seen from the writer: requests answered in order; appends are posted without waiting
 * (at most MAX_APPENDS_IN_FLIGHT unanswered), so encoding overlaps whatever the caller does next. The first failure —
 * an error of a request, or the thread dying — is kept and thrown by every later call.
 */
export class TableFilesThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private readonly appends: Promise<unknown>[] = [];
  private nextId = 0;
  private failure: Error | null = null;
  private isStopping = false;

  constructor(onProgress: (message: string) => void) {
    this.worker = startWorkerThread(import.meta.url, 'table-files-worker', null);
    this.worker.on('message', (answer: Answer) => {
      if (answer.kind === 'progress') {
        onProgress(answer.message);
        return;
      }
      const waiter = this.waiting.get(answer.id);
      this.waiting.delete(answer.id);
      if (answer.ok) waiter?.resolve(answer.result);
      else waiter?.reject(deserializeError(answer.error));
    });
    this.worker.on('error', (error) => this.fail(new AppError('INTERNAL', `The dataset writer thread failed: ${error.message}`, {}, { cause: error })));
    this.worker.on('exit', (code) => {
      if (!this.isStopping) this.fail(new AppError('INTERNAL', `The dataset writer thread exited (code ${code}) before the version was written.`));
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(error);
    this.waiting.clear();
  }

  /** Sends a request and waits for its answer. */
  call<T>(request: DistributiveOmit<TableFilesRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.isStopping) return Promise.reject(new AppError('INTERNAL', 'The dataset writer thread is already stopped.'));
    const id = this.nextId++;
    const answered = new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve: resolve as (value: unknown) => void, reject }));
    this.worker.postMessage({ ...request, id }, transfer);
    return answered;
  }

  /** Posts a batch (its buffers transferred); waits only while too many batches are in flight. */
  async append(table: string, columns: Record<string, ArrayLike<unknown>>, rows: number, transfer: ArrayBuffer[]): Promise<void> {
    const answered = this.call({ kind: 'append', table, columns, rows }, transfer);
    answered.catch((error: Error) => {
      this.failure ??= error;
    });
    this.appends.push(answered);
    while (this.appends.length > MAX_APPENDS_IN_FLIGHT) await this.appends.shift();
    if (this.failure) throw this.failure;
  }

  /** Waits for every batch in flight; throws the first failure. */
  async drain(): Promise<void> {
    while (this.appends.length > 0) await this.appends.shift();
    if (this.failure) throw this.failure;
  }

  async stop(): Promise<void> {
    this.isStopping = true;
    this.appends.length = 0;
    await this.worker.terminate();
  }
}
