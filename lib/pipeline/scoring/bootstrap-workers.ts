import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { resolveBinaryParams } from '@/scoring/binary-params';
import {
  bootstrapBinaryMetrics,
  bootstrapIntervals,
  type BinaryBootstrapOptions,
  type BinaryBootstrapResult,
} from '@/scoring/bootstrap-binary';
import { ScoringError, type ScoringErrorCode } from '@/scoring/errors';
import { PreparedBinaryInput, type SortedRows } from '@/scoring/prepared-binary-input';
import { getBinaryMetric, type MetricId } from '@/scoring/registry';
import type { BinaryScoringInput } from '@/scoring/types';
import { startWorkerThread } from '../workers/start-worker-thread';
import type { BootstrapWorkerData, BootstrapWorkerReply, BootstrapWorkerStart } from './bootstrap-worker';

/** Options of {@link bootstrapBinaryMetricsInWorkers}. */
export type WorkerBootstrapOptions = BinaryBootstrapOptions & {
  /**
   * Worker threads to use; default `os.availableParallelism()`, or none (in-process) for small jobs
   * (events × replicas below 4 million), where starting workers costs more than it saves.
   */
  workers?: number;
};

const SMALL_JOB = 4_000_000;

/**
 * `bootstrapBinaryMetrics` with the replicas split across worker threads: replica range [from, to) is cut into
 * one contiguous part per worker. The main thread validates and sorts the input once and shares the sort with the
 * workers (SharedArrayBuffers), then computes the full-sample values while the workers compute their replicas
 * with the pure library; the parts are joined in replica order. The result is identical to the single-threaded
 * one: replicas depend only on (seed, splitKey, replica number).
 *
 * Workers run the TypeScript sources (bundled once with esbuild, else through tsx) when this module itself runs
 * from TypeScript (the CLI, tests, benchmarks), and the sibling `.js` file otherwise.
 *
 * @throws {ScoringError} as `bootstrapBinaryMetrics` (from a worker, rethrown with its code and row).
 * @example
 * ```ts
 * await bootstrapBinaryMetricsInWorkers(input, ['auc'], { seed: 1, splitKey: 'public', replicas: 200 });
 * ```
 */
export async function bootstrapBinaryMetricsInWorkers<const Id extends MetricId>(
  input: BinaryScoringInput,
  ids: readonly Id[],
  options: WorkerBootstrapOptions,
): Promise<BinaryBootstrapResult<Id>> {
  const { workers: requested, ...bootstrapOptions } = options;
  const [from, to] = bootstrapOptions.replicaRange ?? [0, bootstrapOptions.replicas];
  const replicas = Math.max(0, to - from);
  const small = input.labels.length * replicas < SMALL_JOB;
  const workers = Math.min(requested ?? (small ? 1 : os.availableParallelism()), replicas);
  if (!(workers > 1)) return bootstrapBinaryMetrics(input, ids, bootstrapOptions);

  for (const id of ids) getBinaryMetric(id); // unknown ids fail here, not in a worker
  const prepared = PreparedBinaryInput.prepare(input);
  const params = resolveBinaryParams(bootstrapOptions.params, prepared.n);
  const shared = toSharedInput(input, bootstrapOptions.params?.classes);
  const running: Array<{ worker: Worker; result: Promise<BinaryBootstrapPart<Id>> }> = [];
  try {
    for (let w = 0; w < workers; w++) {
      const data: BootstrapWorkerData = {
        input: shared.input,
        ids: [...ids],
        options: {
          ...bootstrapOptions,
          params: { ...bootstrapOptions.params, ...(shared.classes === undefined ? {} : { classes: shared.classes }) },
          replicaRange: [from + Math.floor((replicas * w) / workers), from + Math.floor((replicas * (w + 1)) / workers)],
        },
      };
      const worker = createWorker(data);
      running.push({ worker, result: resultOf<Id>(worker) });
    }
    // While the workers start: sort once, share the sort, then compute the full-sample values here.
    const start: BootstrapWorkerStart = { sorted: toSharedSort(prepared.sortedRows()) };
    for (const { worker } of running) worker.postMessage(start);
    const values = {} as Record<Id, number>;
    for (const id of ids) values[id] = getBinaryMetric(id).computeFromPrepared(prepared, params);
    const parts = await Promise.all(running.map((r) => r.result));
    const replicaValues = {} as Record<Id, Float64Array>;
    for (const id of ids) {
      const joined = new Float64Array(replicas);
      for (const part of parts) joined.set(part.replicaValues[id], part.replicaRange[0] - from);
      replicaValues[id] = joined;
    }
    return {
      values,
      replicaValues,
      intervals: bootstrapIntervals(replicaValues),
      replicaRange: [from, to],
      redrawnReplicas: parts.flatMap((part) => part.redrawnReplicas),
    };
  } finally {
    await Promise.all(running.map(({ worker }) => worker.terminate()));
  }
}

type BinaryBootstrapPart<Id extends string> = Pick<BinaryBootstrapResult<Id>, 'replicaValues' | 'replicaRange' | 'redrawnReplicas'>;

function toSharedInput(input: BinaryScoringInput, classes: Uint8Array | undefined): { input: BinaryScoringInput; classes?: Uint8Array } {
  const sharedInput: BinaryScoringInput = { labels: toShared(input.labels), scores: toShared(input.scores) };
  if (input.weights !== undefined) sharedInput.weights = toShared(input.weights);
  return classes === undefined ? { input: sharedInput } : { input: sharedInput, classes: toShared(classes) };
}

function toSharedSort(sorted: SortedRows): SortedRows {
  return { order: toShared(sorted.order), sortedScores: toShared(sorted.sortedScores), sortedWeights: toShared(sorted.sortedWeights) };
}

/** A copy of a typed array on a SharedArrayBuffer (visible to workers without another copy). */
function toShared<T extends Uint8Array | Uint32Array | Float64Array>(array: T): T {
  const buffer = new SharedArrayBuffer(array.byteLength);
  const copy = new (array.constructor as new (buffer: SharedArrayBuffer) => T)(buffer);
  copy.set(array as never);
  return copy;
}

function resultOf<Id extends string>(worker: Worker): Promise<BinaryBootstrapPart<Id>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.once('message', (reply: BootstrapWorkerReply) => {
      settled = true;
      if (reply.ok) {
        resolve({
          replicaValues: reply.replicaValues as Record<Id, Float64Array>,
          replicaRange: reply.replicaRange,
          redrawnReplicas: reply.redrawnReplicas,
        });
      } else if (reply.error.scoring) {
        reject(new ScoringError(reply.error.code as ScoringErrorCode, reply.error.message, reply.error.row));
      } else {
        reject(new Error(`bootstrap worker failed: ${reply.error.message}`));
      }
    });
    worker.once('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`bootstrap worker exited with code ${code} before answering`));
      settled = true;
    });
  });
}

function createWorker(data: BootstrapWorkerData): Worker {
  return startWorkerThread(import.meta.url, 'bootstrap-worker', data);
}
