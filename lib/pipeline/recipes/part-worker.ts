/**
 * Entry point of a build's worker thread (started by run-parts.ts): loads the recipe once, then runs each part it is
 * sent and posts its progress, its summary or its error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serializeError } from '../root/decode-task';
import { type BuildPlan, withOverrides } from './build-plan';
import type { Recipe } from './define-recipe';
import { loadRecipe } from './load-recipe';
import { runBuildPart } from './run-build-part';

const port = parentPort;
const { plan, partsDir } = workerData as { plan: BuildPlan; partsDir: string };
let recipe: Promise<Recipe> | null = null;

if (port) {
  port.on('message', (message: { partIndex: number }) => {
    recipe ??= loadRecipe(plan.recipe).then((r) => withOverrides(r, plan.overrides));
    recipe
      .then((loaded) =>
        runBuildPart({
          plan,
          recipe: loaded,
          partIndex: message.partIndex,
          partsDir,
          jobs: 1,
          onProgress: (entriesDone, entriesTotal) => port.postMessage({ type: 'progress', partIndex: message.partIndex, entriesDone, entriesTotal }),
        }),
      )
      .then(
        (summary) => port.postMessage({ type: 'done', partIndex: message.partIndex, summary }),
        (error: unknown) => port.postMessage({ type: 'error', partIndex: message.partIndex, error: serializeError(error) }),
      );
  });
}
