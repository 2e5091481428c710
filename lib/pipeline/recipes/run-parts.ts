import type { Worker } from 'node:worker_threads';
import { deserializeError, type SerializedError } from '../root/decode-task';
import { startWorkerThread } from '../workers/start-worker-thread';
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
 * Runs every part of a plan, in index order, on `jobs` threads (each file on one thread, decoding on that thread).
 * When parts fail, no new part starts, the running ones finish, and the error of the lowest failing part is thrown:
 * the error a one-thread build would meet first.
 */
export async function runParts(options: RunPartsOptions): Promise<PartSummary[]> {
  const { plan } = options;
  const summaries: PartSummary[] = [];
  if (options.jobs <= 1 || plan.parts.length <= 1) {
    // One file at a time; a single file still decodes on `jobs` threads.
    for (const part of plan.parts) {
      const summary = await runBuildPart({ plan, recipe: options.recipe, partIndex: part.index, partsDir: options.partsDir, jobs: Math.max(1, options.jobs), onProgress: (d, t) => options.onProgress?.(part.index, d, t) });
      summaries[part.index] = summary;
      options.onPartDone?.(summary);
    }
    return summaries;
  }
  const threads = Math.min(options.jobs, plan.parts.length);
  const workers = Array.from({ length: threads }, () => startWorker({ plan, partsDir: options.partsDir }));
  const failures = new Map<number, Error>();
  let next = 0;
  try {
    await new Promise<void>((resolve) => {
      let running = 0;
      const dispatch = (worker: Worker) => {
        if (failures.size > 0 || next >= plan.parts.length) {
          if (running === 0) resolve();
          return;
        }
        const partIndex = next++;
        running++;
        worker.postMessage({ partIndex });
      };
      for (const worker of workers) {
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
          resolve();
        });
        dispatch(worker);
      }
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failures.size > 0) throw failures.get(Math.min(...failures.keys())) as Error;
  return summaries;
}
