/**
 * `npm run bench -- cli-startup [--runs N]`: how long the command-line tools take to start and finish a small call,
 * precompiled (node scripts/cli.mjs <entry>, what `npm run score|pipeline|arena` run now) against transpiling the
 * TypeScript at every call (tsx <entry>, what they ran before), in the same run, interleaved call by call so that the
 * machine's load hits both alike. Also reported: Node doing nothing (the floor) and the full `npm run --silent` call,
 * whose own start-up (npm's) comes on top. Per command: median and p90 wall seconds, median CPU seconds (user + sys,
 * from /usr/bin/time when present), and the ratio precompiled / TypeScript. Target: precompiled median wall ≤ 0.3 s.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const timeBinary = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

type Sample = { wallS: number; cpuS: number | null };

function timeOnce(command: string[]): Sample {
  const started = performance.now();
  const args = timeBinary ? ['-f', '__cpu %U %S', ...command] : command;
  const result = spawnSync(timeBinary ?? (command[0] as string), timeBinary ? args : args.slice(1), { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const wallS = (performance.now() - started) / 1000;
  if (result.error) throw result.error;
  const match = /__cpu ([\d.]+) ([\d.]+)/.exec(result.stderr ?? '');
  return { wallS, cpuS: match ? Number(match[1]) + Number(match[2]) : null };
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

function summarise(samples: Sample[]) {
  const walls = samples.map((s) => s.wallS);
  const cpus = samples.flatMap((s) => (s.cpuS === null ? [] : [s.cpuS]));
  const round = (x: number) => Math.round(x * 1000) / 1000;
  return { wallMedianS: round(quantile(walls, 0.5)), wallP90S: round(quantile(walls, 0.9)), cpuMedianS: cpus.length ? round(quantile(cpus, 0.5)) : null };
}

export async function runCliStartupBench(args: string[]) {
  const runsIndex = args.indexOf('--runs');
  const runs = runsIndex >= 0 ? Number(args[runsIndex + 1]) : 15;
  if (!Number.isInteger(runs) || runs < 3) throw new Error('--runs must be an integer ≥ 3');
  // An ES module of plain JavaScript: loaded as it is, not through the TypeScript loader.
  await (await import('../scripts/build-clis.mjs')).buildClis();
  const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
  const calls = [
    { name: 'score', entry: 'lib/pipeline/score-cli.ts', args: ['--task', 'binary', '--truth', 'examples/scoring/truth.csv', '--predictions', 'examples/scoring/predictions.csv'] },
    { name: 'score', entry: 'lib/pipeline/score-cli.ts', args: ['--task', 'interval', '--truth', 'examples/scoring/interval-truth.csv', '--predictions', 'examples/scoring/interval-predictions.csv', '--bootstrap', '100'] },
    { name: 'pipeline', entry: 'lib/pipeline/cli.ts', args: ['--help'] },
    { name: 'arena', entry: 'lib/cli/arena.ts', args: ['--help'] },
  ];
  const floor: Sample[] = [];
  const results = calls.map(() => ({ typescript: [] as Sample[], precompiled: [] as Sample[], npmRun: [] as Sample[] }));
  // One warm-up of each (file cache), then the counted runs, interleaved.
  for (const call of calls) {
    timeOnce([process.execPath, 'scripts/cli.mjs', call.entry, ...call.args]);
    timeOnce([tsx, call.entry, ...call.args]);
  }
  for (let r = 0; r < runs; r++) {
    floor.push(timeOnce([process.execPath, '-e', '0']));
    for (const [i, call] of calls.entries()) {
      const result = results[i] as (typeof results)[number];
      result.precompiled.push(timeOnce([process.execPath, 'scripts/cli.mjs', call.entry, ...call.args]));
      result.typescript.push(timeOnce([tsx, call.entry, ...call.args]));
      result.npmRun.push(timeOnce(['npm', 'run', '--silent', call.name, '--', ...call.args]));
    }
  }
  const report = calls.map((call, i) => {
    const result = results[i] as (typeof results)[number];
    const precompiled = summarise(result.precompiled);
    const typescript = summarise(result.typescript);
    return {
      command: `${call.name} ${call.args.join(' ')}`,
      precompiled,
      typescriptEveryCall: typescript,
      npmRunSilent: summarise(result.npmRun),
      ratioWallPrecompiledToTypescript: Math.round((precompiled.wallMedianS / typescript.wallMedianS) * 1000) / 1000,
      meetsTarget: precompiled.wallMedianS <= 0.3,
    };
  });
  return {
    bench: 'cli-startup',
    runs,
    loadAverage: (await import('node:os')).loadavg().map((x) => Math.round(x * 10) / 10),
    nodeDoingNothing: summarise(floor),
    calls: report,
    target: { precompiledWallMedianS: 0.3 },
    meetsTargets: report.every((r) => r.meetsTarget),
  };
}
