import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const bundles = new Map<string, string>();
/** How a TypeScript entry is bundled (it resolves the @/ paths of tsconfig.json). */
const BUNDLE_OPTIONS = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, logLevel: 'silent', metafile: true } as const;
/** Bundles kept between processes, each with the size and mtime of every file it was made from. */
const CACHE_DIR = path.join(os.tmpdir(), 'hep-arena-worker-bundles');

type BundleResult = { outputFiles?: { text: string }[]; metafile?: { inputs: Record<string, unknown> } };
type CacheRecord = { inputs: [file: string, size: number, mtimeMs: number][] };

function cacheKey(entryPath: string): string {
  return createHash('sha256').update(`${process.version}\0${JSON.stringify(BUNDLE_OPTIONS)}\0${entryPath}`).digest('hex').slice(0, 24);
}

/** The bundle of a previous process when none of the files it was made from has changed since (else null). */
function readCachedBundle(entryPath: string): string | null {
  try {
    const key = cacheKey(entryPath);
    const record = JSON.parse(fs.readFileSync(path.join(CACHE_DIR, `${key}.json`), 'utf8')) as CacheRecord;
    for (const [file, size, mtimeMs] of record.inputs) {
      const stat = fs.statSync(file);
      if (stat.size !== size || stat.mtimeMs !== mtimeMs) return null;
    }
    return fs.readFileSync(path.join(CACHE_DIR, `${key}.js`), 'utf8');
  } catch {
    return null;
  }
}

/** Keeps a bundle for later processes (written under temporary names, then renamed; best effort). */
function storeBundle(entryPath: string, result: BundleResult, startedMs: number): string {
  const text = result.outputFiles?.[0]?.text ?? '';
  if (text === '' || !result.metafile) return text;
  try {
    const inputs: CacheRecord['inputs'] = [];
    for (const file of Object.keys(result.metafile.inputs)) {
      const absolute = path.resolve(file);
      const stat = fs.statSync(absolute);
      // A file changed while esbuild read it: do not keep a bundle that may mix versions.
      if (stat.mtimeMs >= startedMs) return text;
      inputs.push([absolute, stat.size, stat.mtimeMs]);
    }
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const key = cacheKey(entryPath);
    const suffix = randomBytes(4).toString('hex');
    fs.writeFileSync(path.join(CACHE_DIR, `${key}.js.${suffix}`), text);
    fs.renameSync(path.join(CACHE_DIR, `${key}.js.${suffix}`), path.join(CACHE_DIR, `${key}.js`));
    fs.writeFileSync(path.join(CACHE_DIR, `${key}.json.${suffix}`), JSON.stringify({ inputs } satisfies CacheRecord));
    fs.renameSync(path.join(CACHE_DIR, `${key}.json.${suffix}`), path.join(CACHE_DIR, `${key}.json`));
  } catch {
    // The cache is an optimisation only.
  }
  return text;
}

/**
 * Starts a worker thread on the entry file `entry` (e.g. `bootstrap-worker`) beside the module at `moduleUrl`
 * (pass `import.meta.url`). Compiled, that is `entry.js`. Running from TypeScript (the CLI, tests, benchmarks),
 * Node's worker threads do not inherit tsx's loader: the entry is bundled with esbuild (it resolves the @/ paths of
 * tsconfig.json) once per process, or taken from the bundle a previous process kept in the temporary folder when
 * none of its source files changed since; without esbuild, it is imported through tsx's API.
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
  let bundle = readCachedBundle(entryPath) ?? '';
  if (bundle === '') {
    try {
      const require = createRequire(import.meta.url);
      const esbuild = require('esbuild') as typeof import('esbuild');
      const started = Date.now();
      bundle = storeBundle(entryPath, await esbuild.build({ ...BUNDLE_OPTIONS, entryPoints: [entryPath] }), started);
    } catch {
      bundle = '';
    }
  }
  if (!bundles.has(entryPath)) bundles.set(entryPath, bundle);
}

/** The entry bundled to one CommonJS script, or '' when esbuild is not available. */
function bundleEntry(entryPath: string): string {
  const cached = readCachedBundle(entryPath);
  if (cached !== null) return cached;
  try {
    const require = createRequire(import.meta.url);
    const esbuild = require('esbuild') as typeof import('esbuild');
    const started = Date.now();
    return storeBundle(entryPath, esbuild.buildSync({ ...BUNDLE_OPTIONS, entryPoints: [entryPath] }), started);
  } catch {
    return '';
  }
}

/** Forgets the bundles made in this process (tests: the next start reads the kept bundle or bundles again). */
export function forgetWorkerBundles(): void {
  bundles.clear();
}
