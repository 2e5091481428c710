import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const bundles = new Map<string, string>();
/** How a TypeScript entry is bundled (it resolves the @/ paths of tsconfig.json). */
const BUNDLE_OPTIONS = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent' } as const;


/**
 * Starts a worker thread on the entry file `entry` (e.g. `bootstrap-worker`) beside the module at `moduleUrl`
 * (pass `import.meta.url`). Compiled, that is `entry.js`. Running from TypeScript (the CLI, tests, benchmarks),
 * Node's worker threads do not inherit tsx's loader: the entry is bundled once per process with esbuild (tens of
 * milliseconds; it resolves the @/ paths of tsconfig.json), or, without esbuild, imported through tsx's API.
 */
export function startWorkerThread(moduleUrl: string, entry: string, workerData: unknown): Worker {
  const self = fileURLToPath(moduleUrl);
  if (!self.endsWith('.ts')) return new Worker(new URL(`./${entry}.js`, moduleUrl), { workerData });
  const entryPath = path.join(path.dirname(self), `${entry}.ts`);
  let bundle = bundles.get(entryPath);
  if (bundle === undefined) {
    bundle = bundleEntry(entryPath);
    bundles.set(entryPath, bundle);
  }
  if (bundle !== '') return new Worker(bundle, { eval: true, workerData });
  const require = createRequire(moduleUrl);
  const api = pathToFileURL(require.resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href;
  const url = pathToFileURL(entryPath).href;
  const code = `import { tsImport } from ${JSON.stringify(api)}; await tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(code)}`), { workerData, execArgv: [] });
}

/**
 * Bundles the entry now without blocking this thread (esbuild works in its own process), so that a later
 * startWorkerThread of the same entry starts at once; nothing to do for compiled code.
 */
export async function prepareWorkerThread(moduleUrl: string, entry: string): Promise<void> {
  const self = fileURLToPath(moduleUrl);
  if (!self.endsWith('.ts')) return;
  const entryPath = path.join(path.dirname(self), `${entry}.ts`);
  if (bundles.has(entryPath)) return;
  let bundle = '';
  try {
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const result = await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: [entryPath] });
    bundle = result.outputFiles[0]?.text ?? '';
  } catch {
    bundle = '';
  }
  if (!bundles.has(entryPath)) bundles.set(entryPath, bundle);
}

/** The entry bundled to one CommonJS script, or '' when esbuild is not available. */
function bundleEntry(entryPath: string): string {
  try {
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const result = esbuild.buildSync({ ...BUNDLE_OPTIONS, entryPoints: [entryPath] });
    return result.outputFiles[0]?.text ?? '';
  } catch {
    return '';
  }
}
