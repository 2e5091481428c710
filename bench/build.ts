import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { writePhysliteShapedFile } from '@/lib/pipeline/root/write/write-physlite-shaped-file';
import { BUILD_NODE_FLAGS } from '@/lib/shared/recipes/build-node-flags';
import { type ChildWithLines, startNodeScript } from '@/tests/support/child-process';
import { round } from './timing';

/**
 * `npm run bench -- build`: recipe builds of the lep-had recipe on generated PHYSLITE-shaped files (default 10 files ×
 * 200,000 events, half signal, half background; ZLIB), each measured run in a process of its own:
 * - `--jobs 1` against `--jobs 2` (files on worker threads; target ≥ 1.7×);
 * - the one-job build against only reading the same branches of the same files on one thread (target ≤ 2×);
 * - peak RSS of the build with half the files against all of them (target: flat);
 * - with `--database-url postgres://…`: queued with 2 workers against 1 worker (target ≥ 1.6×), on a fresh database.
 * Options: --files 10 --events 200000 --database-url <url>.
 */
const repoRoot = path.resolve(__dirname, '..');

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : undefined;
}

async function inputs(files: number, events: number): Promise<string> {
  const dir = path.join(os.tmpdir(), 'hep-arena-bench', `build-${files}x${events}`);
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < files; i++) {
    const isSignal = i < files / 2;
    const out = path.join(dir, `${isSignal ? 'signal' : 'background'}-${i}.root`);
    if (!fs.existsSync(out)) await writePhysliteShapedFile({ out, events, seed: 1000 + i, dsid: isSignal ? 346343 : 700360, compression: { algorithm: 'zlib' } });
  }
  fs.writeFileSync(path.join(dir, 'dsids.csv'), 'dsid,cross_section_pb,k_factor,filter_efficiency,description\n346343,3.0,1,1,ggH\n700360,2000,1,1,Ztt\n');
  return dir;
}

/** A JSON lep-had recipe over the first `count` files of the folder (signal and background halves). */
function recipe(dir: string, count: number, name: string): string {
  const all = fs.readdirSync(dir).filter((f) => f.endsWith('.root')).sort((a, b) => Number(a.split('-')[1]?.split('.')[0]) - Number(b.split('-')[1]?.split('.')[0]));
  // An odd count takes one more signal file than background files (10 files: half is 3 + 2, not 2 + 2).
  const signals = Math.ceil(count / 2);
  const pick = [...all.filter((f) => f.startsWith('signal')).slice(0, signals), ...all.filter((f) => f.startsWith('background')).slice(0, count - signals)];
  if (pick.length !== count) throw new Error(`the bench wanted ${count} files of ${dir} but found ${pick.length}`);
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify({
    dataset: `bench-${name}`, title: 'bench', luminosityFb: 140, sampleMetadata: 'dsids.csv', negativeWeights: 'clip-to-zero',
    samples: [{ name: 'ggH', files: pick.filter((f) => f.startsWith('signal')), label: 1, process: 'htautau' }, { name: 'Ztt', files: pick.filter((f) => f.startsWith('background')), label: 0, process: 'ztautau' }],
    variations: [{ kind: 'parametrised', name: 'tes_up', tes: 1.03 }],
  }));
  return file;
}

/** A measured run in a process of its own, with the node flags `npm run pipeline` has, for reading too. */
function child(args: string[]): { ms: number; cpuSeconds: number; maxRssMb: number } {
  const run = spawnSync(process.execPath, [...BUILD_NODE_FLAGS, '--import', 'tsx', path.join(repoRoot, 'bench', 'build-child.ts'), ...args], { cwd: repoRoot, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`bench child ${args.join(' ')} failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) as string);
}

function loadAverage(): number[] {
  return os.loadavg().map((x) => round(x, 1));
}


/** Cores a run kept busy on average: its CPU time over its wall time. */
function coresUsed(run: { ms: number; cpuSeconds: number }): number {
  return round(run.cpuSeconds / (run.ms / 1000), 2);
}

const clockTicks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU seconds of a process and of the children it has waited for (a worker and the build steps it ran), from
 * /proc/<pid>/stat: utime + stime + cutime + cstime.
 */
function processTreeCpuSeconds(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14–17 of proc(5), counted from 1; here the list starts at field 3.
  return [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0) / clockTicks;
}

/** Waits until a process has no child left (a worker's build step has exited and been waited for). */
async function childrenReaped(pid: number): Promise<void> {
  const started = Date.now();
  const children = () => fs.readdirSync(`/proc/${pid}/task`).map((t) => fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'utf8').trim()).join('');
  while (children() !== '' && Date.now() - started < 10_000) await new Promise((r) => setTimeout(r, 50));
}

async function queued(databaseUrl: string, dir: string, recipePath: string, workers: number): Promise<{ ms: number; cpuSeconds: number }> {
  const name = `bench_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(databaseUrl);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-bench-queue-'));
  const env = { ...process.env, DATABASE_URL: url.toString(), DATA_DIR: dataDir, SCORING_POLL_SECONDS: '0.5' };
  const procs: ChildWithLines[] = [];
  const start = (args: string[]): ChildWithLines => {
    const p = startNodeScript(args, { cwd: repoRoot, env });
    procs.push(p);
    return p;
  };
  try {
    // One worker sets the database up first, then the others join.
    start(['scripts/worker.ts']);
    while (!procs.every((p) => p.lines.some((l) => l.includes('ready')))) await new Promise((r) => setTimeout(r, 200));
    for (let i = 1; i < workers; i++) start(['scripts/worker.ts']);
    while (!procs.every((p) => p.lines.some((l) => l.includes('ready')))) await new Promise((r) => setTimeout(r, 200));
    const workerPids = procs.map((p) => p.child.pid as number);
    const cpuBefore = workerPids.reduce((sum, pid) => sum + processTreeCpuSeconds(pid), 0);
    const started = performance.now();
    const cli = start(['scripts/pipeline.ts', 'build', recipePath, '--inputs', dir, '--queue', '--created-at', '2026-01-01T00:00:00Z']);
    const code = await cli.exited;
    const ms = performance.now() - started;
    if (code !== 0) throw new Error(`queued build failed: ${cli.lines.slice(-5).join('\n')}`);
    for (const pid of workerPids) await childrenReaped(pid);
    // The workers' CPU and their build steps' (the command that enqueued and watched the build is not counted).
    return { ms, cpuSeconds: workerPids.reduce((sum, pid) => sum + processTreeCpuSeconds(pid), 0) - cpuBefore };
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(procs.map((p) => p.exited));
    fs.rmSync(dataDir, { recursive: true, force: true });
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

export async function runBuildBench(args: string[]) {
  const files = Number(option(args, 'files') ?? 10);
  const events = Number(option(args, 'events') ?? 200_000);
  if (!(files >= 2 && files % 2 === 0)) throw new Error('--files must be an even number ≥ 2');
  const dir = await inputs(files, events);
  const all = recipe(dir, files, 'all');
  const half = recipe(dir, files / 2, 'half');
  const out = path.join(os.tmpdir(), 'hep-arena-bench', 'build-out');
  const loadBefore = loadAverage();
  const read = child(['read', all, '1']);
  const one = child(['build', all, `${out}-1`, '1']);
  const two = child(['build', all, `${out}-2`, '2']);
  const halfTwo = child(['build', half, `${out}-half`, '2']);
  const identical = fs.readdirSync(`${out}-1`).every((f) => Buffer.compare(fs.readFileSync(path.join(`${out}-1`, f)), fs.readFileSync(path.join(`${out}-2`, f))) === 0);
  const report: Record<string, unknown> = {
    bench: 'build',
    inputs: { files, eventsPerFile: events, totalEvents: files * events, recipe: 'lep-had (JSON recipe, FAIR TES variation)', bytes: fs.readdirSync(dir).filter((f) => f.endsWith('.root')).reduce((s, f) => s + fs.statSync(path.join(dir, f)).size, 0) },
    readOnly1Thread: { seconds: round(read.ms / 1000), cpuSeconds: round(read.cpuSeconds), coresUsed: coresUsed(read), peakRssMb: round(read.maxRssMb) },
    build1Job: { seconds: round(one.ms / 1000), cpuSeconds: round(one.cpuSeconds), coresUsed: coresUsed(one), eventsPerSecond: Math.round((files * events) / (one.ms / 1000)), peakRssMb: round(one.maxRssMb) },
    build2Jobs: { seconds: round(two.ms / 1000), cpuSeconds: round(two.cpuSeconds), coresUsed: coresUsed(two), eventsPerSecond: Math.round((files * events) / (two.ms / 1000)), peakRssMb: round(two.maxRssMb) },
    buildHalfFiles2Jobs: { files: files / 2, seconds: round(halfTwo.ms / 1000), peakRssMb: round(halfTwo.maxRssMb) },
    ratios: {
      jobs2OverJobs1Speed: { value: round(one.ms / two.ms), target: '≥ 1.7' },
      build1JobOverReadOnly: { value: round(one.ms / read.ms), target: '≤ 2' },
      peakRssAllOverHalfFiles: { value: round(two.maxRssMb / halfTwo.maxRssMb), target: '≈ 1 (flat)' },
    },
    jobs1AndJobs2ByteIdentical: identical,
    // What this machine allows: a run that does W CPU-seconds of work on C cores takes at least W / C seconds, so the
    // two-job build can be at most (one-job seconds) / (two-job CPU seconds / C) times faster than the one-job build, and
    // at most C / (cores the one-job build already keeps busy) times even with no cost of its own for running in parallel.
    ceilings: {
      cores: os.cpus().length,
      jobs2OverJobs1GivenTheTwoJobWork: round(one.ms / 1000 / (two.cpuSeconds / os.cpus().length)),
      jobs2OverJobs1WithNoParallelCost: round(os.cpus().length / (one.cpuSeconds / (one.ms / 1000))),
      readingOnAllCoresOverOne: round(os.cpus().length / (read.cpuSeconds / (read.ms / 1000))),
    },
  };
  const databaseUrl = option(args, 'database-url');
  if (databaseUrl) {
    const oneWorker = await queued(databaseUrl, dir, all, 1);
    const twoWorkers = await queued(databaseUrl, dir, all, 2);
    report.queued = {
      oneWorkerSeconds: round(oneWorker.ms / 1000), oneWorkerCpuSeconds: round(oneWorker.cpuSeconds), oneWorkerCoresUsed: coresUsed(oneWorker),
      twoWorkersSeconds: round(twoWorkers.ms / 1000), twoWorkersCpuSeconds: round(twoWorkers.cpuSeconds), twoWorkersCoresUsed: coresUsed(twoWorkers),
    };
    (report.ratios as Record<string, unknown>).queued2WorkersOver1 = { value: round(oneWorker.ms / twoWorkers.ms), target: '≥ 1.6' };
    Object.assign(report.ceilings as Record<string, unknown>, {
      queued2WorkersOver1GivenTheTwoWorkerWork: round(oneWorker.ms / 1000 / (twoWorkers.cpuSeconds / os.cpus().length)),
      queued2WorkersOver1WithNoParallelCost: round(os.cpus().length / (oneWorker.cpuSeconds / (oneWorker.ms / 1000))),
    });
  }
  report.loadAverage = { before: loadBefore, after: loadAverage(), cores: os.cpus().length };
  for (const suffix of ['1', '2', 'half']) fs.rmSync(`${out}-${suffix}`, { recursive: true, force: true });
  return report;
}
