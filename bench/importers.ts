import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeSyntheticFairUniverseParquet, writeSyntheticHiggsml2014Csv, writeSyntheticTopTaggingHdf5 } from '@/tests/support/importer-inputs';

/**
 * `npm run bench -- importers [--top-jets N] [--higgsml-rows N] [--fair-rows N] [--only a,b] [--before <checkout>] [--keep]`
 *
 * Imports seeded synthetic inputs at full size and at half size, each in a child process whose peak RSS is read
 * with /usr/bin/time (what the machine saw, WASM heaps included): the ATLAS top-tagging HDF5 release layout (default
 * 50,000 training + 10,000 test jets, 200 constituents), HiggsML 2014 at its real size (818,238 rows, KaggleSet
 * t/b/v/u) and a FAIR-Universe Parquet file of 5 million rows in row groups of 500,000. Baselines measured in the
 * same run: a child that loads the same modules and reads (sha256) the same inputs (the I/O and start-up floor), and,
 * with `--before <checkout>`, the same import run by another checkout's CLI (e.g. the main branch). Prints JSON.
 */
export async function runImportersBench(args: string[]) {
  const option = (name: string, fallback: number) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? Number(args[at + 1]) : fallback;
  };
  const text = (name: string) => {
    const at = args.indexOf(`--${name}`);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const only = text('only')?.split(',') ?? ['top-tagging', 'higgsml-2014', 'fair-universe'];
  const before = text('before');
  const topJets = option('top-jets', 50_000);
  const higgsRows = option('higgsml-rows', 818_238);
  const fairRows = option('fair-rows', 5_000_000);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-bench-importers-'));
  const repoRoot = path.resolve(__dirname, '..');
  const report: Record<string, unknown> = {
    bench: 'importers',
    machine: { cpus: os.cpus().length, loadAverage1m: Number(os.loadavg()[0]?.toFixed(2)), node: process.version },
    note: 'Peak RSS of each child process (/usr/bin/time). The floor child loads the same modules through the same tsx loader and hashes the inputs; its RSS includes tsx transforming h5wasm (about 0.6 GB on its own for the HDF5 importer).',
  };
  try {
    if (only.includes('top-tagging')) {
      const sizes = [Math.round(topJets / 2), topJets];
      const runs = [];
      for (const jets of sizes) {
        const train = path.join(work, `train_nominal_${jets}.h5`);
        const test = path.join(work, `test_nominal_${jets}.h5`);
        writeSyntheticTopTaggingHdf5(train, jets, 1, { weights: true });
        writeSyntheticTopTaggingHdf5(test, Math.round(jets / 5), 2, { eventOffset: 10_000_000 });
        const command = ['import-top-tagging', '--train', train, '--test', test];
        runs.push(await measureImport(repoRoot, work, `top-${jets}`, command, jets + Math.round(jets / 5), [train, test], true, before));
      }
      report['top-tagging'] = summarise(runs, { unit: 'jets', constituents: 200 });
    }
    if (only.includes('higgsml-2014')) {
      const runs = [];
      for (const rows of [Math.round(higgsRows / 2), higgsRows]) {
        const csv = path.join(work, `higgsml-${rows}.csv`);
        await writeSyntheticHiggsml2014Csv(csv, rows, 2014);
        runs.push(await measureImport(repoRoot, work, `higgs-${rows}`, ['import-higgsml-2014', csv], rows, [csv], false, before));
        fs.rmSync(csv);
      }
      report['higgsml-2014'] = summarise(runs, { unit: 'rows' });
    }
    if (only.includes('fair-universe')) {
      const runs = [];
      for (const rows of [Math.round(fairRows / 2), fairRows]) {
        const parquet = path.join(work, `fair-${rows}.parquet`);
        await writeSyntheticFairUniverseParquet(parquet, rows, 7, 500_000);
        runs.push(await measureImport(repoRoot, work, `fair-${rows}`, ['import-fair-universe', parquet], rows, [parquet], false, before));
        fs.rmSync(parquet);
      }
      report['fair-universe'] = summarise(runs, { unit: 'rows', rowGroupRows: 500_000 });
    }
  } finally {
    if (!args.includes('--keep')) fs.rmSync(work, { recursive: true, force: true });
  }
  return report;
}

type Measured = { seconds: number; peakRssMB: number; exitCode: number; stderrTail: string };
type Run = { rows: number; import: Measured; floor: Measured; before?: Measured };

async function measureImport(repoRoot: string, work: string, label: string, command: string[], rows: number, inputs: string[], loadsH5wasm: boolean, before: string | undefined): Promise<Run> {
  const out = path.join(work, `out-${label}`);
  const cli = (root: string) => ['--import', 'tsx', path.join(root, 'lib', 'pipeline', 'cli.ts')];
  const [name, ...rest] = command as [string, ...string[]];
  const importRun = await measureChild(repoRoot, [...cli(repoRoot), name, '--out', out, ...rest]);
  fs.rmSync(out, { recursive: true, force: true });
  const floor = await measureChild(repoRoot, ['--import', 'tsx', path.join(repoRoot, 'bench', 'importers-floor.ts'), ...(loadsH5wasm ? ['--h5wasm'] : []), ...inputs]);
  let beforeRun: Measured | undefined;
  if (before) {
    beforeRun = await measureChild(path.resolve(before), [...cli(path.resolve(before)), name, '--out', `${out}-before`, ...rest]);
    fs.rmSync(`${out}-before`, { recursive: true, force: true });
  }
  if (importRun.exitCode !== 0) throw new Error(`import ${label} failed: ${importRun.stderrTail}`);
  return { rows, import: importRun, floor, ...(beforeRun ? { before: beforeRun } : {}) };
}

function measureChild(cwd: string, nodeArgs: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'maxrss_kb=%M', process.execPath, ...nodeArgs], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const rss = /maxrss_kb=(\d+)/.exec(stderr);
      resolve({ seconds: round(seconds), peakRssMB: rss ? round(Number(rss[1]) / 1024) : Number.NaN, exitCode: code ?? -1, stderrTail: stderr.slice(-600) });
    });
  });
}

function summarise(runs: Run[], extra: Record<string, unknown>) {
  const [half, full] = runs as [Run, Run];
  const figures = (run: Run) => ({
    rows: run.rows,
    seconds: run.import.seconds,
    rowsPerSecond: Math.round(run.rows / run.import.seconds),
    peakRssMB: run.import.peakRssMB,
    floor: { seconds: run.floor.seconds, peakRssMB: run.floor.peakRssMB },
    ...(run.before ? { before: { seconds: run.before.seconds, peakRssMB: run.before.peakRssMB, exitCode: run.before.exitCode } } : {}),
  });
  return {
    ...extra,
    half: figures(half),
    full: figures(full),
    ratios: {
      /** ≈ 1 when memory does not grow with the input. */
      peakRssFullOverHalf: round(full.import.peakRssMB / half.import.peakRssMB),
      peakRssAboveFloorMB: { half: round(half.import.peakRssMB - half.floor.peakRssMB), full: round(full.import.peakRssMB - full.floor.peakRssMB) },
      /** Import time over the time to start and read (sha256) the same inputs. */
      secondsOverFloor: round(full.import.seconds / full.floor.seconds),
      /** ≈ 2 when time is linear in the rows. */
      secondsFullOverHalf: round(full.import.seconds / half.import.seconds),
      ...(full.before ? { peakRssBeforeOverNow: round(full.before.peakRssMB / full.import.peakRssMB), secondsBeforeOverNow: round(full.before.seconds / full.import.seconds) } : {}),
    },
  };
}

function round(x: number): number {
  return Number(x.toFixed(3));
}
