/// <reference lib="webworker" />
// Bundled by bench/baseline.ts and run in headless Chromium: the same training code as the product's Web Worker.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { runBaselineBackend } from './baseline-runner';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = async (event: MessageEvent<{ backends: string[]; events: number; features: number; epochs: number }>) => {
  setWasmPaths('/');
  const { backends, events, features, epochs } = event.data;
  const results = [];
  for (const backend of backends) results.push(await runBaselineBackend(tf, backend, events, features, epochs));
  self.postMessage(results);
};
