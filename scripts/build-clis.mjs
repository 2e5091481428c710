/**
 * Precompiles the command-line tools (`npm run score | pipeline | arena | …`) with esbuild, so that a call starts in
 * Node at once instead of transpiling TypeScript first. `npm install` runs it (the `prepare` script); the launcher
 * scripts/cli.mjs runs it again when a source file changed since the last build, so a CLI never runs stale code.
 *
 * Which tools: every package.json script of the form `node [node flags] scripts/cli.mjs <entry.ts> …` (adding a tool
 * is that one line in package.json), and the entries of PROCESS_ENTRIES. Output goes to dist/cli/ (ignored by git):
 * one ES module per entry (packages from node_modules left as imports, so their wasm and data files load as usual),
 * the worker-thread entries of WORKER_ENTRIES as CommonJS files beside them, and build.json, which lists each entry's
 * output and every source file read with its mtime and size.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const outDir = path.join(root, 'dist', 'cli');
export const buildManifest = path.join(outDir, 'build.json');
const LAUNCHER = /^node\s+(?:--[\w-]+(?:=\S+)?\s+)*scripts\/cli\.mjs\s+(\S+\.ts)\b/;

/**
 * Entries started as worker threads by the bundled code (`new Worker(new URL('./<name>.js', import.meta.url))`), built
 * as CommonJS files of that name beside the bundles.
 */
const WORKER_ENTRIES = ['lib/pipeline/scoring/bootstrap-worker.ts', 'lib/pipeline/root/decode-worker.ts', 'lib/pipeline/recipes/part-worker.ts', 'lib/pipeline/datasets/table-files-worker.ts'];

/**
 * Packages left as imports from node_modules: those that load wasm, native or data files from their own folder at run
 * time, and tools. Everything else is bundled: one file parses faster than the hundreds a package like apache-arrow
 * spreads its modules over.
 */
const EXTERNAL_PACKAGES = ['h5wasm', '@bokuweb/zstd-wasm', 'jsroot', '@electric-sql/pglite', 'pg', 'pg-boss', 'onnxruntime-node', 'esbuild', 'tsx', 'next', 'react', 'react-dom'];

/** Files whose change invalidates every output besides the sources themselves. */
const BUILD_INPUTS = ['scripts/build-clis.mjs', 'tsconfig.json', 'package.json'];

/**
 * Entries that other code starts as processes of their own through scripts/cli.mjs (a queued build's steps, one
 * process per input file: started from the bundle, a step costs a tenth of a second instead of half of one).
 */
const PROCESS_ENTRIES = ['lib/pipeline/recipes/run-build-step.ts'];

/** The entries named by package.json's scripts and PROCESS_ENTRIES, relative to the repository root, sorted. */
export function listCliEntries() {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const entries = new Set(PROCESS_ENTRIES.map((entry) => path.normalize(entry)));
  for (const command of Object.values(pkg.scripts ?? {})) {
    const match = LAUNCHER.exec(String(command));
    if (match) entries.add(path.normalize(match[1]));
  }
  return [...entries].sort();
}

/** Where the bundle of `entry` is written: directly in dist/cli/, named after its path (`lib-pipeline-cli.mjs`). */
export function outputOf(entry) {
  return path.join(outDir, `${path.normalize(entry).replace(/\.ts$/, '').split(path.sep).join('-')}.mjs`);
}

/**
 * Replaces `__dirname` and `__filename` in a source file with its own location (computed from the bundle's URL, so a
 * moved checkout still works): bundled into dist/cli/, the bundle's own values would point there instead.
 */
function sourceLocationPlugin() {
  return {
    name: 'source-location',
    setup(build) {
      build.onLoad({ filter: /\.tsx?$/ }, async (args) => {
        const text = await fs.promises.readFile(args.path, 'utf8');
        if (!/\b__(?:dirname|filename)\b/.test(text) || args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
        const relative = (target) => path.relative(outDir, target).split(path.sep).join('/');
        // Every bundle sits directly in dist/cli/, so import.meta.url locates the source from there.
        const at = (target, suffix) => `decodeURIComponent(new URL(${JSON.stringify(relative(target) + suffix)}, import.meta.url).pathname)`;
        const prologue = `const __hepDirname = ${at(path.dirname(args.path), '/')}.replace(/\\/$/, ''); const __hepFilename = ${at(args.path, '')};\n`;
        const contents = prologue + text.replace(/\b__dirname\b/g, '__hepDirname').replace(/\b__filename\b/g, '__hepFilename');
        return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' };
      });
    },
  };
}

/** `server-only` throws outside React server components; a CLI on the server side is fine with its empty variant. */
function serverOnlyPlugin() {
  return {
    name: 'server-only',
    setup(build) {
      build.onResolve({ filter: /^server-only$/ }, () => ({ path: 'server-only', namespace: 'empty' }));
      build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: 'export {};', loader: 'js' }));
    },
  };
}

function stampOf(file) {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? { mtimeMs: stat.mtimeMs, size: stat.size } : null;
}

/**
 * Builds every CLI entry (and any `extraEntries`, e.g. the one a launcher was asked for) into dist/cli/ and writes
 * build.json last, so that a build that fails or is interrupted leaves the previous manifest or none. Resolves to the
 * manifest; throws when esbuild is not installed (a production install without dev dependencies).
 */
export async function buildClis(extraEntries = []) {
  const esbuild = await import('esbuild');
  // One build at a time (parallel test workers, two terminals): the others wait for it and use its result.
  const lock = path.join(path.dirname(outDir), 'cli.lock');
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      fs.closeSync(fs.openSync(lock, 'wx'));
      break;
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      // A lock left by a build that was killed is taken over after two minutes.
      if (age > 120_000) fs.rmSync(lock, { force: true });
      else if (Date.now() - started > 180_000) throw new Error(`another build of the CLIs has held ${lock} for three minutes`);
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    const wanted = [...listCliEntries(), ...extraEntries.map((e) => path.normalize(e))];
    // The build that held the lock may have made everything this one would.
    if (wanted.every((entry) => findStaleReason(entry) === null)) return JSON.parse(fs.readFileSync(buildManifest, 'utf8'));
    return await buildUnlocked(esbuild, extraEntries);
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

async function buildUnlocked(esbuild, extraEntries) {
  const entries = [...new Set([...listCliEntries(), ...extraEntries.map((e) => path.normalize(e))])].sort();
  // A fresh folder per build, renamed into place: a CLI started meanwhile still finds complete files.
  const staging = `${outDir}.${process.pid}.${Date.now()}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    const common = {
      absWorkingDir: root,
      bundle: true,
      platform: 'node',
      target: 'node20',
      external: EXTERNAL_PACKAGES.flatMap((name) => [name, `${name}/*`]),
      tsconfig: path.join(root, 'tsconfig.json'),
      logLevel: 'silent',
      metafile: true,
      legalComments: 'none',
      sourcemap: 'linked',
      plugins: [serverOnlyPlugin(), sourceLocationPlugin()],
    };
    const main = await esbuild.build({
      ...common,
      entryPoints: Object.fromEntries(entries.map((entry) => [path.basename(outputOf(entry), '.mjs'), path.join(root, entry)])),
      outdir: staging,
      format: 'esm',
      // Code reached by dynamic import() loads only when a command needs it; chunks sit beside the entries, so that
      // import.meta.url is in dist/cli/ for every file.
      splitting: true,
      chunkNames: 'chunk-[hash]',
      outExtension: { '.js': '.mjs' },
      // Bundled code that calls require() (CommonJS-only helpers) gets Node's own.
      banner: { js: "import { createRequire as __hepCreateRequire } from 'node:module'; const require = __hepCreateRequire(import.meta.url);" },
    });
    const workers = await Promise.all(
      WORKER_ENTRIES.map((entry) =>
        esbuild.build({ ...common, entryPoints: [path.join(root, entry)], outfile: path.join(staging, path.basename(entry).replace(/\.ts$/, '.js')), format: 'cjs' }),
      ),
    );
    const inputs = new Set(BUILD_INPUTS);
    for (const result of [main, ...workers]) {
      for (const input of Object.keys(result.metafile.inputs)) if (!input.startsWith('empty:')) inputs.add(path.normalize(input));
    }
    const manifest = {
      builtAt: new Date().toISOString(),
      node: process.versions.node,
      entries: Object.fromEntries(entries.map((entry) => [entry, path.relative(outDir, outputOf(entry))])),
      inputs: Object.fromEntries([...inputs].sort().map((input) => [input, stampOf(path.join(root, input))])),
    };
    fs.writeFileSync(path.join(staging, 'build.json'), `${JSON.stringify(manifest, null, 1)}\n`);
    fs.mkdirSync(path.dirname(outDir), { recursive: true });
    const previous = `${outDir}.${process.pid}.${Date.now()}.old`;
    if (fs.existsSync(outDir)) fs.renameSync(outDir, previous);
    fs.renameSync(staging, outDir);
    fs.rmSync(previous, { recursive: true, force: true });
    return manifest;
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Why the build in dist/cli/ cannot serve `entry` (missing, or a source changed, named), or null when it is current.
 * One stat per source file: a few milliseconds for the largest tool.
 */
export function findStaleReason(entry) {
  let manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(buildManifest, 'utf8'));
  } catch {
    return 'not built yet';
  }
  if (!manifest.entries?.[path.normalize(entry)]) return `${entry} is not in the last build`;
  if (manifest.node !== process.versions.node) return `built for Node ${manifest.node}, running ${process.versions.node}`;
  for (const [input, stamp] of Object.entries(manifest.inputs ?? {})) {
    const now = stampOf(path.join(root, input));
    if (!now || !stamp || now.mtimeMs !== stamp.mtimeMs || now.size !== stamp.size) return `${input} changed`;
  }
  return null;
}

/** A digest of the build's inputs (for tests and the benchmark: two builds of the same sources agree). */
export function digestOfBuild() {
  const manifest = JSON.parse(fs.readFileSync(buildManifest, 'utf8'));
  return createHash('sha256').update(JSON.stringify(manifest.entries)).update(JSON.stringify(Object.keys(manifest.inputs))).digest('hex');
}

/** `node scripts/build-clis.mjs` (the `prepare` script of `npm install`). */
async function main() {
  const started = performance.now();
  try {
    const manifest = await buildClis();
    const names = Object.keys(manifest.entries).join(', ');
    console.log(`[hep-arena] precompiled the CLIs (${names}) into dist/cli in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes("'esbuild'")) {
      // Without dev dependencies the CLIs run from TypeScript through tsx (slower to start, same results).
      console.log('[hep-arena] esbuild is not installed: the CLIs will run from TypeScript (npm install without --omit=dev precompiles them)');
    } else {
      console.error('[hep-arena] could not precompile the CLIs:', error instanceof Error ? error.message : error);
      process.exitCode = 1;
    }
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) void main();
