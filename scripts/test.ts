/**
 * `npm test`: every suite, with what it needs installed. Steps: lint, typecheck, migrations-vs-schema check,
 * vitest (unit + integration; PostgreSQL when TEST_DATABASE_URL is set, else embedded PGlite) and Playwright
 * e2e in Debian chromium. Debian packages a step needs (chromium, zstd, lz4, xz-utils, and python3-nbformat, python3-pandas
 * and python3-sklearn for the starting-kit notebooks) are installed with apt-get when missing. Ends with one line `N passed, N failed`.
 *
 *   npm test                       all steps
 *   npm test -- --only unit,e2e    some of: lint, typecheck, migrations, unit, integration, e2e
 *
 * With TEST_SUMMARY_FILE set, the counts are also appended there as a JSON line (.ci/run adds up several runs).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..');
const bin = (name: string) => path.join(root, 'node_modules', '.bin', name);
const allSteps = ['lint', 'typecheck', 'migrations', 'unit', 'integration', 'e2e'] as const;
type Step = (typeof allSteps)[number];

function parseSteps(argv: string[]): Step[] {
  const index = argv.indexOf('--only');
  if (index === -1) return [...allSteps];
  const wanted = (argv[index + 1] ?? '').split(',').filter(Boolean);
  const unknown = wanted.filter((w) => !(allSteps as readonly string[]).includes(w));
  if (unknown.length > 0 || wanted.length === 0) {
    console.error(`--only takes a comma-separated list of ${allSteps.join(', ')}; got "${argv[index + 1] ?? ''}"`);
    process.exit(2);
  }
  return wanted as Step[];
}

const counts = { passed: 0, failed: 0 };
/** What failed, by name (a file and a test), printed before the closing line and kept in the summary file. */
const failures: string[] = [];
const engine = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL ? 'postgres' : 'pglite';
const resultsDir = path.join(root, 'test-results');
fs.mkdirSync(resultsDir, { recursive: true });

function run(command: string, args: string[], extraEnv: Record<string, string> = {}): number {
  console.log(`\n▶ ${path.basename(command)} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...extraEnv } });
  if (result.error) console.error(result.error.message);
  return result.status ?? 1;
}

function check(name: string, status: number) {
  if (status === 0) counts.passed += 1;
  else {
    counts.failed += 1;
    failures.push(name);
    console.error(`✗ ${name} failed`);
  }
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function runVitest(project: 'unit' | 'integration') {
  const report = path.join(resultsDir, `vitest-${project}-${engine}.json`);
  fs.rmSync(report, { force: true });
  const status = run(bin('vitest'), ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  type VitestReport = {
    numPassedTests?: number;
    numFailedTests?: number;
    testResults?: Array<{ name?: string; assertionResults?: Array<{ fullName?: string; status?: string; failureMessages?: string[] }> }>;
  };
  const json = readJson(report) as VitestReport | null;
  if (!json) {
    check(`vitest ${project} (no report)`, 1);
    return;
  }
  counts.passed += json.numPassedTests ?? 0;
  counts.failed += json.numFailedTests ?? 0;
  for (const file of json.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      const reason = (test.failureMessages?.[0] ?? '').split('\n')[0]?.slice(0, 300);
      failures.push(`${project} (${engine}): ${path.relative(root, file.name ?? '?')} › ${test.fullName ?? '?'}: ${reason}`);
    }
  }
  // A crash outside any test (a failing import, a hook) fails the run without failing a test.
  if (status !== 0 && !json.numFailedTests) check(`vitest ${project}`, status);
}

/**
 * Installs the Debian packages a step needs when their command is missing (as root; otherwise says how):
 * chromium for the browser tests, zstd, lz4 and xz to make reference ROOT baskets in the pipeline tests.
 */
function ensureDebianTools(tools: Array<{ command: string; pkg: string }>) {
  const missing = tools.filter((t) => !fs.existsSync(t.command));
  if (missing.length === 0) return;
  const names = missing.map((t) => t.pkg);
  if (process.getuid?.() !== 0) {
    console.error(`${missing.map((t) => t.command).join(', ')} missing and this is not root: install with \`sudo apt-get install ${names.join(' ')}\`.`);
    process.exit(1);
  }
  console.log(`installing Debian packages: ${names.join(', ')} …`);
  const env = { DEBIAN_FRONTEND: 'noninteractive' };
  if (run('apt-get', ['update', '-qq'], env) !== 0 || run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], env) !== 0) {
    console.error(`apt-get could not install ${names.join(', ')}`);
    process.exit(1);
  }
}

/** Debian's Python packages the starting-kit tests run the notebooks with (validation with nbformat; pandas, sklearn). */
const pythonPackages = [
  { command: '/usr/lib/python3/dist-packages/nbformat/__init__.py', pkg: 'python3-nbformat' },
  { command: '/usr/lib/python3/dist-packages/pandas/__init__.py', pkg: 'python3-pandas' },
  { command: '/usr/lib/python3/dist-packages/sklearn/__init__.py', pkg: 'python3-sklearn' },
];

function runPlaywright() {
  ensureDebianTools([{ command: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', pkg: 'chromium' }, ...pythonPackages]);
  const report = path.join(resultsDir, `e2e-${engine}.json`);
  fs.rmSync(report, { force: true });
  const status = run(bin('playwright'), ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: report });
  type Suite = { file?: string; suites?: Suite[]; specs?: Array<{ title?: string; file?: string; line?: number; tests?: Array<{ status?: string; results?: Array<{ error?: { message?: string } }> }> }> };
  const json = readJson(report) as { stats?: { expected?: number; unexpected?: number; flaky?: number }; suites?: Suite[] } | null;
  if (!json?.stats) {
    check('playwright (no report)', 1);
    return;
  }
  const visit = (suite: Suite) => {
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status !== 'unexpected') continue;
        const reason = (test.results?.at(-1)?.error?.message ?? '').split('\n')[0]?.slice(0, 300);
        failures.push(`e2e (${engine}): ${spec.file ?? suite.file ?? '?'}:${spec.line ?? '?'} › ${spec.title ?? '?'}: ${reason}`);
      }
    }
    for (const child of suite.suites ?? []) visit(child);
  };
  for (const suite of json.suites ?? []) visit(suite);
  counts.passed += (json.stats.expected ?? 0) + (json.stats.flaky ?? 0);
  counts.failed += json.stats.unexpected ?? 0;
  if (status !== 0 && !json.stats.unexpected) check('playwright', status);
}

const steps = parseSteps(process.argv.slice(2));
/** Wall-clock seconds of each step, printed at the end (and kept in the summary) to see where CI's time goes. */
const seconds: Partial<Record<Step, number>> = {};
for (const step of steps) {
  const startedMs = performance.now();
  if (step === 'lint') check('lint', run(bin('eslint'), ['.', '--max-warnings=0']));
  if (step === 'typecheck') check('typecheck', run(bin('tsc'), ['--noEmit', '-p', '.']));
  if (step === 'migrations') check('migrations', run(bin('tsx'), ['scripts/check-migrations.ts']));
  if (step === 'unit') {
    ensureDebianTools([
      { command: '/usr/bin/zstd', pkg: 'zstd' },
      { command: '/usr/bin/lz4', pkg: 'lz4' },
      { command: '/usr/bin/xz', pkg: 'xz-utils' },
      ...pythonPackages,
    ]);
    runVitest('unit');
  }
  if (step === 'integration') runVitest('integration');
  if (step === 'e2e') runPlaywright();
  seconds[step] = Math.round((performance.now() - startedMs) / 1000);
}

if (process.env.TEST_SUMMARY_FILE) fs.appendFileSync(process.env.TEST_SUMMARY_FILE, `${JSON.stringify({ engine, steps, ...counts, failures, seconds })}\n`);
console.log(`\ntook (${engine}): ${Object.entries(seconds).map(([step, s]) => `${step} ${s} s`).join(', ')}`);
if (failures.length > 0) console.log(`\nfailed:\n${failures.map((f) => `  ✗ ${f}`).join('\n')}`);
console.log(`\n${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed > 0 ? 1 : 0);
