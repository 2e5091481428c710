import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { runPipelineCli } from './run-pipeline-cli';

const repoRoot = path.resolve(__dirname, '..', '..');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-cli-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** Runs the CLI as `npm run pipeline` does: its precompiled bundle through scripts/cli.mjs. */
function runCli(...args: string[]) {
  const result = spawnSync(process.execPath, ['scripts/cli.mjs', 'lib/pipeline/cli.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function runInProcess(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe('pipeline CLI (spawned)', () => {
  it('builds the toy dataset and prints a one-line JSON summary on stdout, progress on stderr', () => {
    const out = path.join(tmpRoot, 'toy');
    const { code, stdout, stderr } = runCli('toy', '--out', out, '--seed', '4', '--train', '600', '--test', '300', '--lumi', '20');
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toEqual({
      dataset: 'higgs-tautau-toy',
      version: '1.0.0',
      outDir: out,
      rows: {
        'train.arrow': 600,
        'train.csv': 600,
        'train.parquet': 600,
        'train.root': 600,
        'test.arrow': 300,
        'test.csv': 300,
        'test.parquet': 300,
        'test.root': 300,
        'truth.arrow': 300,
        'events@display.arrow': expect.any(Number),
      },
    });
    // The display table: lepton, tau and MET (and 0–2 jets) of the first 500 training events.
    const displayRows = (JSON.parse(stdout) as { rows: Record<string, number> }).rows['events@display.arrow'] as number;
    expect(displayRows).toBeGreaterThanOrEqual(500 * 3);
    expect(displayRows).toBeLessThanOrEqual(500 * 5);
    expect(stderr).toMatch(/\[pipeline\] generated 900 toy events/);
    const manifest = datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')));
    expect(manifest.luminosityFb).toBe(20);
    expect(manifest.recipe).toMatchObject({ seed: 4 });
  });

  it.skipIf(!hasFixture('higgsml_2014_sample/train_sml_bg.csv'))('imports HiggsML 2014 CSV files with a chosen test fraction', () => {
    const out = path.join(tmpRoot, 'higgsml');
    const files = ['train_sml_bg.csv', 'train_sml_sig.csv'].map((f) => fixturePath(`higgsml_2014_sample/${f}`));
    const { code, stdout } = runCli('import-higgsml-2014', '--out', out, ...files, '--test-fraction', '0.2', '--seed', '3');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ dataset: 'higgsml-2014', rows: { 'train.arrow': 7998, 'test.arrow': 2000, 'truth.arrow': 2000 } });
  });

  it('exits 2 with a one-line reason naming file, line and column for a bad CSV, and writes nothing', () => {
    const file = path.join(tmpRoot, 'bad.csv');
    fs.writeFileSync(file, 'EventId,Label\n1,s\n');
    const out = path.join(tmpRoot, 'bad-out');
    const { code, stdout, stderr } = runCli('import-higgsml-2014', '--out', out, file);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^error: bad\.csv line 1: the header is not the HiggsML 2014 open-data header \(missing DER_mass_MMC, /);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('exits 2 when the output folder exists, before generating anything', () => {
    const out = path.join(tmpRoot, 'exists');
    fs.mkdirSync(out);
    const { code, stderr } = runCli('toy', '--out', out, '--train', '100000');
    expect(code).toBe(2);
    expect(stderr).toBe(`error: Dataset folder ${out} already exists; choose another --out or pass --overwrite to replace it.\n`);
  });
});

describe('runPipelineCli arguments', () => {
  it.each([
    [[], /^error: missing command; expected one of toy, import-higgsml-2014, .*inspect, convert, systematics, generate-physlite \(see --help\)$/],
    [['make-data'], /unknown command "make-data"/],
    [['toy'], /toy needs --out <dir>/],
    [['toy', '--out', 'x', '--seed', '-1'], /--seed must be an integer ≥ 0, got "-1"/],
    [['toy', '--out', 'x', '--train', '1e3'], /--train must be an integer ≥ 3, got "1e3"/],
    [['toy', '--out', 'x', '--lumi', 'lots'], /--lumi must be a positive number, got "lots"/],
    [['toy', '--out', 'x', '--colour', 'red'], /unknown option --colour/],
    [['toy', '--out', 'x', '--test-fraction', '0.2'], /option --test-fraction does not apply to toy/],
    [['toy', '--out'], /--out needs a value/],
    [['import-higgsml-2014', '--out', 'x'], /needs at least one CSV file/],
    [['import-higgsml-2014', '--out', 'x', 'a.csv', '--test-fraction', '1.5'], /--test-fraction must be strictly between 0 and 1, got "1.5"/],
    [['convert', 'f.root', '--tree', 'T'], /convert needs --tree <dir\/sub\/tree> and --out <file.arrow>/],
    [['inspect'], /inspect needs exactly one ROOT file or URL/],
    [['systematics', '--input', 'a.csv'], /systematics needs --input <file.parquet\|file.csv> and --out <file.csv>/],
    [['systematics', '--input', 'a.csv', '--out', 'b.csv', '--tes', '0'], /--tes must be a positive number, got "0"/],
    [['systematics', '--input', 'a.csv', '--out', 'b.csv', '--seed', '3'], /--seed only applies with --soft-met > 0/],
    [['import-fair-universe', '--out', 'x', 'a.parquet', '--variations', 'up:tes=abc'], /--variations: "tes=abc" in "up:tes=abc" needs a number/],
    [['import-top-tagging', '--out', 'x', '--train', 'a.h5'], /import-top-tagging needs --train <files> and --test <files>/],
    [['build'], /build needs exactly one recipe file/],
  ])('exits 2 for %j with a one-line reason', async (args, message) => {
    const { code, stdout, stderr } = await runInProcess(...args);
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr).toHaveLength(1);
    expect(stderr[0]).toMatch(message);
  });

  it('prints the usage on stdout and exits 0 for --help', async () => {
    const { code, stdout } = await runInProcess('--help');
    expect(code).toBe(0);
    expect(stdout[0]).toMatch(/^Usage: npm run --silent pipeline -- <command>/);
  });
});
