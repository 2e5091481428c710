import 'server-only';
import type { RecipeBuildQueueRuntime } from './recipe-build-queue';
import type { RecipeBuildQueue } from './recipe-build-steps';

// instrumentation.ts and the route bundles are separate module graphs in one process: share through globalThis.
const globalForBuilds = globalThis as unknown as {
  __hepArenaBuildQueue?: RecipeBuildQueueRuntime;
  __hepArenaBuildQueueWaiters?: Array<(runtime: RecipeBuildQueueRuntime) => void>;
};

export function setRecipeBuildQueueRuntime(runtime: RecipeBuildQueueRuntime): void {
  globalForBuilds.__hepArenaBuildQueue = runtime;
  for (const resolve of globalForBuilds.__hepArenaBuildQueueWaiters ?? []) resolve(runtime);
  globalForBuilds.__hepArenaBuildQueueWaiters = [];
}

/** The process's build queue; waits for server start to have created it. */
export function getRecipeBuildQueue(): RecipeBuildQueue {
  return {
    async enqueueBuildStep(job) {
      const runtime =
        globalForBuilds.__hepArenaBuildQueue ??
        (await new Promise<RecipeBuildQueueRuntime>((resolve, reject) => {
          (globalForBuilds.__hepArenaBuildQueueWaiters ??= []).push(resolve);
          setTimeout(() => reject(new Error('the build queue did not start within 30 s')), 30_000).unref();
        }));
      await runtime.queue.enqueueBuildStep(job);
    },
  };
}
