/**
 * `npm run bench -- baseline [--events 250000] [--epochs 2] [--browser-backends wasm,webgl,cpu] [--node-backends wasm,cpu]`
 *
 * Samples/s per epoch of the default browser-baseline model, trained with the product's own loop on
 * events × 30 features: in headless Chromium (Debian chromium, inside a Web Worker as on the page) for each backend,
 * and in Node with the same code. Target: the browser's WASM backend reaches at least 50 % of Node's WASM throughput
 * measured in the same run.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { build } from 'esbuild';
import { runBaselineBackend, type BackendResult } from './baseline-runner';

function option(args: string[], name: string, fallback: string): string {
  const index = args.indexOf(name);
  return index >= 0 ? (args[index + 1] ?? fallback) : fallback;
}

async function bundleWorker(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, 'baseline-browser-worker.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    alias: { '@': path.resolve(__dirname, '..') },
  });
  return result.outputFiles[0]?.text ?? '';
}

async function runInBrowser(backends: string[], events: number, features: number, epochs: number): Promise<BackendResult[]> {
  const workerJs = await bundleWorker();
  const wasmDir = path.resolve('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist');
  const page = '<!doctype html><meta charset="utf-8"><title>baseline bench</title><script>window.run=(msg)=>new Promise(r=>{const w=new Worker("/worker.js",{type:"module"});w.onmessage=e=>r(e.data);w.postMessage(msg);});</script>';
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (url === '/worker.js') return res.writeHead(200, { 'content-type': 'text/javascript' }).end(workerJs);
    const name = path.basename(url);
    if (name.endsWith('.wasm') && fs.existsSync(path.join(wasmDir, name))) {
      return res.writeHead(200, { 'content-type': 'application/wasm' }).end(fs.readFileSync(path.join(wasmDir, name)));
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${port}/`);
    return (await tab.evaluate((msg) => (window as unknown as { run: (m: unknown) => Promise<BackendResult[]> }).run(msg), { backends, events, features, epochs })) as BackendResult[];
  } finally {
    await browser.close();
    server.close();
  }
}

export async function runBaselineBench(args: string[]) {
  const events = Number(option(args, '--events', '250000'));
  const epochs = Number(option(args, '--epochs', '2'));
  const features = 30;
  const browserBackends = option(args, '--browser-backends', 'wasm,webgl,cpu').split(',');
  const nodeBackends = option(args, '--node-backends', 'wasm,cpu').split(',');
  console.error(`[bench baseline] ${events} events × ${features} features, ${epochs} epochs; browser: ${browserBackends.join(', ')}; node: ${nodeBackends.join(', ')}`);
  const browser = await runInBrowser(browserBackends, events, features, epochs);
  const node: BackendResult[] = [];
  for (const backend of nodeBackends) node.push(await runBaselineBackend(tf, backend, events, features, epochs));
  const rate = (results: BackendResult[], backend: string) => {
    const r = results.find((x) => x.backend === backend);
    return r && 'samplesPerSecond' in r ? r.samplesPerSecond : null;
  };
  const browserWasm = rate(browser, 'wasm');
  const nodeWasm = rate(node, 'wasm');
  const ratio = browserWasm !== null && nodeWasm ? browserWasm / nodeWasm : null;
  return {
    bench: 'baseline',
    events,
    features,
    epochs,
    model: 'default browser baseline (64-32 relu, Adam, batch 256)',
    browser,
    node,
    ratioBrowserWasmToNodeWasm: ratio === null ? null : Number(ratio.toFixed(3)),
    target: 'browser WASM ≥ 0.5 × Node WASM',
    isTargetMet: ratio !== null && ratio >= 0.5,
    machine: { cpus: os.cpus().length, node: process.version },
  };
}
