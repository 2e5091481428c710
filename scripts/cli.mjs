/**
 * Starts a precompiled command-line tool: `node scripts/cli.mjs <entry.ts> [args…]` runs the bundle of `entry` from
 * dist/cli/ (scripts/build-clis.mjs) with `args` as its arguments, exactly as `tsx <entry.ts> [args…]` would, without
 * transpiling at every call. When a source file changed since the last build (or there is none), the tools are
 * rebuilt first (about a second); without esbuild (a production install) the entry runs through tsx instead.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildClis, findStaleReason, outputOf, root } from './build-clis.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry || !entry.endsWith('.ts') || !fs.existsSync(path.join(root, entry))) {
  console.error(`usage: node scripts/cli.mjs <entry.ts> [arguments]; "${entry ?? ''}" is not a TypeScript file of this repository`);
  process.exit(2);
}

let isBuilt = findStaleReason(entry) === null;
if (!isBuilt) {
  try {
    await buildClis([entry]);
    isBuilt = true;
  } catch (error) {
    const isMissingEsbuild = error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes("'esbuild'");
    if (!isMissingEsbuild) console.error(`[hep-arena] could not precompile ${entry}; running it from TypeScript: ${error instanceof Error ? error.message : error}`);
  }
}

if (isBuilt) {
  const bundle = outputOf(entry);
  // The tool reads its arguments from process.argv.slice(2), as when started directly.
  process.argv = [process.argv[0], bundle, ...args];
  await import(pathToFileURL(bundle).href);
} else {
  // From TypeScript through tsx, with the launcher's own node flags (e.g. --single-threaded-gc).
  const fromTypeScript = [...process.execArgv, '--conditions=react-server', '--import', 'tsx', path.join(root, entry), ...args];
  if (typeof process.send === 'function') {
    // Started with an IPC channel (a queued build's step): the entry runs in a child that talks over it through this
    // process, and goes when this process's parent does.
    const child = spawn(process.execPath, fromTypeScript, { stdio: ['inherit', 'inherit', 'inherit', 'ipc'], cwd: process.cwd() });
    child.on('message', (message) => process.send?.(message));
    process.on('message', (message) => child.send(message));
    process.on('disconnect', () => child.kill('SIGKILL'));
    child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  } else {
    const result = spawnSync(process.execPath, fromTypeScript, { stdio: 'inherit', cwd: process.cwd() });
    process.exitCode = result.status ?? 1;
  }
}
