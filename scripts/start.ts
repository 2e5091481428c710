/**
 * `npm start`: build the toy datasets if missing, build the app if the build is missing or older than the
 * sources, then serve it on the embedded database. Migrations, seeding and the scoring queue start inside the
 * server (instrumentation.ts), because PGlite allows one process per data directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureBuiltinDatasets } from './ensure-datasets';

const root = path.resolve(__dirname, '..');
const port = process.env.PORT ?? '3000';
const host = process.env.HOST ?? '127.0.0.1';
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
const sourceDirs = ['app', 'lib', 'challenges', 'recipes', 'scoring', 'db', 'instrumentation.ts', 'next.config.ts', 'package.json'];

function newestMtimeMs(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestMtimeMs(path.join(entry, child)));
  return newest;
}

function isBuildCurrent(): boolean {
  const buildId = fs.statSync(path.join(root, '.next', 'BUILD_ID'), { throwIfNoEntry: false });
  if (!buildId) return false;
  return sourceDirs.every((entry) => newestMtimeMs(path.join(root, entry)) <= buildId.mtimeMs);
}

async function main() {
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${port}`,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  await ensureBuiltinDatasets(dataDir);
  if (!isBuildCurrent()) {
    console.log('[hep-arena] building the app (next build) …');
    const build = spawnSync(path.join(root, 'node_modules', '.bin', 'next'), ['build'], { cwd: root, env, stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }
  console.log(`[hep-arena] serving on http://localhost:${port} (bound to ${host}); data in ${dataDir}`);
  const server = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'serve.ts')], { cwd: root, env: { ...env, PORT: port, HOST: host }, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => server.kill(signal));
  server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

main().catch((error) => {
  console.error('[hep-arena] could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
