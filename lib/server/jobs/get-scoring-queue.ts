import 'server-only';
import type { ScoringQueue } from '../context';
import type { ScoringQueueRuntime } from './scoring-queue';

// instrumentation.ts and the route bundles are separate module graphs in one process: share through globalThis.
const globalForQueue = globalThis as unknown as {
  __hepArenaQueue?: ScoringQueueRuntime;
  __hepArenaQueueWaiters?: Array<(runtime: ScoringQueueRuntime) => void>;
};

export function setScoringQueueRuntime(runtime: ScoringQueueRuntime): void {
  globalForQueue.__hepArenaQueue = runtime;
  for (const resolve of globalForQueue.__hepArenaQueueWaiters ?? []) resolve(runtime);
  globalForQueue.__hepArenaQueueWaiters = [];
}

/** The process's scoring queue; waits for server start to have created it. */
export function getScoringQueue(): ScoringQueue {
  return {
    async enqueueScoring(submissionId) {
      const runtime =
        globalForQueue.__hepArenaQueue ??
        (await new Promise<ScoringQueueRuntime>((resolve, reject) => {
          (globalForQueue.__hepArenaQueueWaiters ??= []).push(resolve);
          setTimeout(() => reject(new Error('the scoring queue did not start within 30 s')), 30_000).unref();
        }));
      await runtime.queue.enqueueScoring(submissionId);
    },
  };
}
