/**
 * `npm run start:cluster -- [--workers N]`: on one machine, the topology of "Run at scale": one web server that only
 * enqueues (RUN_WORKERS=false) and N scoring workers (default 3), all on the PostgreSQL of DATABASE_URL. The e2e
 * suite runs against it on PostgreSQL. Stops everything on SIGINT/SIGTERM, and exits non-zero when any part dies.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

function workerCount(args: string[]): number {
  const index = args.indexOf('--workers');
  const value = index >= 0 ? Number(args[index + 1]) : 3;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--workers must be a positive whole number, not "${args[index + 1]}"`);
  return value;
}

function main() {
  if (!/^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? '')) {
    console.error('[cluster] needs DATABASE_URL=postgres://… (PostgreSQL 15+): the embedded database allows one process.');
    process.exit(2);
  }
  const count = workerCount(process.argv.slice(2));
  const children: ChildProcess[] = [];
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals) => {
    stopping = true;
    for (const child of children) if (child.exitCode === null) child.kill(signal);
  };
  const watch = (name: string, child: ChildProcess) => {
    children.push(child);
    child.on('exit', (code, signal) => {
      if (stopping) {
        if (children.every((c) => c.exitCode !== null || c.signalCode !== null)) process.exit(0);
        return;
      }
      console.error(`[cluster] ${name} exited (${signal ?? `code ${code}`}); stopping the others`);
      stopAll('SIGTERM');
      process.exitCode = 1;
    });
  };
  watch('web server', spawn(process.execPath, ['--import', 'tsx', path.join(root, 'scripts', 'start.ts')], { cwd: root, env: { ...process.env, RUN_WORKERS: 'false' }, stdio: 'inherit' }));
  for (let i = 1; i <= count; i++) {
    watch(`worker ${i}`, spawn(process.execPath, ['--conditions=react-server', '--import', 'tsx', path.join(root, 'scripts', 'worker.ts')], { cwd: root, env: process.env, stdio: 'inherit' }));
  }
  console.log(`[cluster] one web server (RUN_WORKERS=false) and ${count} scoring workers on ${new URL(process.env.DATABASE_URL ?? '').host}`);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => stopAll(signal));
}

main();
