import type { Worker } from 'node:worker_threads';
import { deserializeError, type SerializedError } from '../root/decode-task';
import { prepareWorkerThread, startWorkerThread } from '../workers/start-worker-thread';
import type { BuildPlan } from './build-plan';
import type { Recipe } from './define-recipe';
import { type PartSummary, runBuildPart } from './run-build-part';

export type RunPartsOptions = {
  plan: BuildPlan;
  recipe: Recipe;
  partsDir: string;
  /** Files processed at once (threads); 1 runs them one after the other on this thread. */
  jobs: number;
  onProgress?: (partIndex: number, entriesDone: number, entriesTotal: number) => void;
  onPartDone?: (summary: PartSummary) => void;
};

/** A part worker thread (bundled once per process from TypeScript, or dist/cli/part-worker.js in the precompiled CLI). */
function startWorker(workerData: unknown): Worker {
  return startWorkerThread(import.meta.url, 'part-worker', workerData);
}

/**
 * Runs every part of a plan, in index order, on `jobs` threads (each file on one thread, decoding on that thread):
 * this thread and jobs − 1 worker threads, which join as soon as they have started (from TypeScript the worker is
 * bundled first, off this thread, while this thread already works on the first file).
 * When parts fail, no new part starts, the running ones finish, and the error of the lowest failing part is thrown:
 * the error a one-thread build would meet first.
 */
export async function runParts(options: RunPartsOptions): Promise<PartSummary[]> {
  const { plan } = options;
  const summaries: PartSummary[] = [];
  /** Runs one part on this thread (its file decoded on `decodeJobs` threads) and records its summary. */
  const runHere = async (partIndex: number, decodeJobs: number) => {
    const summary = await runBuildPart({ plan, recipe: options.recipe, partIndex, partsDir: options.partsDir, jobs: decodeJobs, onProgress: (d, t) => options.onProgress?.(partIndex, d, t) });
    summaries[partIndex] = summary;
    options.onPartDone?.(summary);
  };
  if (options.jobs <= 1 || plan.parts.length <= 1) {
    // One file at a time; a single file still decodes on `jobs` threads.
    for (const part of plan.parts) await runHere(part.index, Math.max(1, options.jobs));
    return summaries;
  }
  const threads = Math.min(options.jobs, plan.parts.length) - 1;
  const workers: Worker[] = [];
  const failures = new Map<number, Error>();
  let next = 0;
  let running = 0;
  let stopped = false;
  let settle: () => void = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const finishIfIdle = () => {
    if (running === 0 && (failures.size > 0 || next >= plan.parts.length)) settle();
  };
  const dispatch = (worker: Worker) => {
    if (stopped || failures.size > 0 || next >= plan.parts.length) {
      finishIfIdle();
      return;
    }
    const partIndex = next++;
    running++;
    worker.postMessage({ partIndex });
  };
  const attach = (worker: Worker) => {
    worker.on('message', (message: { type: 'progress' | 'done' | 'error'; partIndex: number; entriesDone?: number; entriesTotal?: number; summary?: PartSummary; error?: SerializedError }) => {
      if (message.type === 'progress') {
        options.onProgress?.(message.partIndex, message.entriesDone as number, message.entriesTotal as number);
        return;
      }
      running--;
      if (message.type === 'done') {
        summaries[message.partIndex] = message.summary as PartSummary;
        options.onPartDone?.(message.summary as PartSummary);
      } else {
        failures.set(message.partIndex, deserializeError(message.error as SerializedError));
      }
      dispatch(worker);
    });
    worker.on('error', (error) => {
      failures.set(-1, error);
      running = 0;
      settle();
    });
    dispatch(worker);
  };
  // The workers start while this thread runs parts; a failure to start them is a failure of the build.
  const starting = prepareWorkerThread(import.meta.url, 'part-worker').then(() => {
    if (stopped || failures.size > 0 || next >= plan.parts.length) return;
    for (let i = 0; i < threads; i++) {
      const worker = startWorker({ plan, partsDir: options.partsDir });
      workers.push(worker);
      attach(worker);
    }
  }, (error: unknown) => {
    failures.set(-1, error instanceof Error ? error : new Error(String(error)));
  });
  try {
    // This thread takes parts too, one at a time, until none is left.
    while (failures.size === 0 && next < plan.parts.length) {
      const partIndex = next++;
      running++;
      try {
        await runHere(partIndex, 1);
      } catch (error) {
        failures.set(partIndex, error instanceof Error ? error : new Error(String(error)));
      } finally {
        running--;
      }
    }
    await starting;
    finishIfIdle();
    await settled;
  } finally {
    stopped = true;
    await starting;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys())) as Error;
  return summaries;
}
