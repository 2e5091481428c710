import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { DER_COLUMN_NAMES, PRI_COLUMN_NAMES } from '../features/der-features';
import { runPipelineCli } from '../run-pipeline-cli';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-pe-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** A small FAIR-Universe-style CSV: 16 PRI columns, weights, detailed_labels (and labels unless dropped). */
function writeSource(name: string, options: { drop?: string[]; n?: number } = {}): string {
  const n = options.n ?? 80;
  const processes = ['htautau', 'ztautau', 'ttbar', 'diboson'];
  const value = (column: string, i: number): string | number => {
    switch (column) {
      case 'PRI_lep_pt': return 30 + (i % 17);
      case 'PRI_had_pt': return 40 + (i % 13);
      case 'PRI_lep_eta': return 0.1;
      case 'PRI_lep_phi': return 0.2;
      case 'PRI_had_eta': return -0.3;
      case 'PRI_had_phi': return 2.5;
      case 'PRI_n_jets': return 0;
      case 'PRI_jet_all_pt': return 0;
      case 'PRI_met': return 20 + (i % 5);
      case 'PRI_met_phi': return -1;
      case 'weights': return 2;
      case 'detailed_labels': return processes[i % 4] as string;
      case 'labels': return i % 4 === 0 ? 1 : 0;
      default: return -25;
    }
  };
  const columns = [...PRI_COLUMN_NAMES, 'weights', 'detailed_labels', 'labels'].filter((c) => !(options.drop ?? []).includes(c));
  const lines = [columns.join(',')];
  for (let i = 0; i < n; i++) lines.push(columns.map((c) => value(c, i)).join(','));
  const file = path.join(tmpRoot, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(['pseudo-experiments', ...args], { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name));
const FILES = ['pseudo_experiments.arrow', 'pseudo_experiments.csv', 'pseudo_experiments.parquet', 'truth_pe.arrow', 'manifest.json'];

describe('pipeline pseudo-experiments', () => {
  const input = writeSource('source.csv');
  const generate = (name: string, seed: number, sets = 3, perSet = 4) =>
    run('--input', input, '--out', path.join(tmpRoot, name), '--sets', String(sets), '--pes-per-set', String(perSet), '--seed', String(seed), '--created-at', '2026-01-01T00:00:00Z');

  it('writes pseudo_experiments, truth_pe and a manifest; a one-line JSON summary on stdout, progress on stderr', async () => {
    const { code, stdout, stderr } = await generate('a', 7);
    expect(code).toBe(0);
    expect(stdout).toHaveLength(1);
    const summary = JSON.parse(stdout[0] as string);
    expect(summary).toMatchObject({ outDir: path.join(tmpRoot, 'a'), sets: 3, experimentsPerSet: 4, seed: 7, sourceRows: 80 });
    expect(stderr.length).toBeGreaterThan(0);
    const dir = path.join(tmpRoot, 'a');
    expect(fs.readdirSync(dir).sort()).toEqual([...FILES].sort());
    expect(fs.readdirSync(tmpRoot).some((f) => f.includes('.tmp-'))).toBe(false);

    const pe = decodeArrowTable(read(dir, 'pseudo_experiments.arrow'));
    expect(pe.columnNames).toEqual(['pe_id', ...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES]);
    expect(pe.numRows).toBeGreaterThan(0);
    const truth = decodeArrowTable(read(dir, 'truth_pe.arrow'));
    expect(truth.columnNames).toEqual(['pe_id', 'set_id', 'mu_true', 'tes', 'jes', 'soft_met', 'ttbar_scale', 'diboson_scale', 'bkg_scale', 'n_events']);
    expect(truth.numRows).toBe(12);

    // every pe_id of pseudo_experiments appears exactly once in truth_pe, with the matching event count
    const truthIds = Array.from(truth.columns.pe_id as ArrayLike<number>);
    expect(new Set(truthIds).size).toBe(truthIds.length);
    const counts = new Map<number, number>();
    for (const id of Array.from(pe.columns.pe_id as ArrayLike<number>)) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const id of counts.keys()) expect(truthIds.filter((t) => t === id)).toHaveLength(1);
    truthIds.forEach((id, i) => expect((truth.columns.n_events as ArrayLike<number>)[i]).toBe(counts.get(id) ?? 0));

    // μ in [0.1, 3], one μ per set; N sets with M experiments each
    const mu = Array.from(truth.columns.mu_true as ArrayLike<number>);
    const setIds = Array.from(truth.columns.set_id as ArrayLike<number>);
    for (const m of mu) {
      expect(m).toBeGreaterThanOrEqual(0.1);
      expect(m).toBeLessThanOrEqual(3);
    }
    const perSet = new Map<number, number>();
    setIds.forEach((s, i) => {
      perSet.set(s, (perSet.get(s) ?? 0) + 1);
      expect(mu[i]).toBe(mu[setIds.indexOf(s)]);
    });
    expect([...perSet.keys()].sort()).toEqual([0, 1, 2]);
    expect([...perSet.values()]).toEqual([4, 4, 4]);

    const manifest = datasetManifestSchema.parse(JSON.parse(read(dir, 'manifest.json').toString('utf8')));
    const byName = Object.fromEntries(manifest.files.map((f) => [f.name, f]));
    expect(byName['truth_pe.arrow']).toMatchObject({ role: 'truth_pe', serverOnly: true, rows: 12 });
    expect(byName['pseudo_experiments.arrow']).toMatchObject({ role: 'pseudo_experiments', serverOnly: false, rows: pe.numRows });
    expect(byName['pseudo_experiments.csv']).toMatchObject({ role: 'export', serverOnly: false, rows: pe.numRows });
    expect(manifest.files.map((f) => f.name).sort()).toEqual(FILES.filter((f) => f !== 'manifest.json').sort());
    expect(manifest.recipe).toMatchObject({ seed: 7, sets: 3, experimentsPerSet: 4 });
  });

  it('is reproducible: the same seed gives identical files, another seed different ones', async () => {
    expect((await generate('b1', 11)).code).toBe(0);
    expect((await generate('b2', 11)).code).toBe(0);
    expect((await generate('c', 12)).code).toBe(0);
    for (const name of FILES) expect(read(path.join(tmpRoot, 'b2'), name).equals(read(path.join(tmpRoot, 'b1'), name))).toBe(true);
    expect(read(path.join(tmpRoot, 'c'), 'truth_pe.arrow').equals(read(path.join(tmpRoot, 'b1'), 'truth_pe.arrow'))).toBe(false);
    expect(read(path.join(tmpRoot, 'c'), 'pseudo_experiments.arrow').equals(read(path.join(tmpRoot, 'b1'), 'pseudo_experiments.arrow'))).toBe(false);
  });

  it('falls back to labels when detailed_labels is absent', async () => {
    const labelsOnly = writeSource('labels-only.csv', { drop: ['detailed_labels'] });
    const { code, stderr } = await run('--input', labelsOnly, '--out', path.join(tmpRoot, 'labels-only'), '--sets', '1', '--pes-per-set', '2', '--seed', '1');
    expect(code).toBe(0);
    expect(stderr.join('\n')).toContain('no detailed_labels');
  });

  it('fails with exit 2 and one line naming a missing input column; nothing is written', async () => {
    const missing = writeSource('missing.csv', { drop: ['PRI_had_pt'] });
    const out = path.join(tmpRoot, 'missing');
    const { code, stdout, stderr } = await run('--input', missing, '--out', out, '--sets', '1', '--pes-per-set', '1', '--seed', '1');
    expect(code).toBe(2);
    expect(stdout).toEqual([]);
    expect(stderr.filter((l) => l.startsWith('error:'))).toHaveLength(1);
    expect(stderr.at(-1)).toContain('"PRI_had_pt"');
    expect(fs.existsSync(out)).toBe(false);

    const noWeights = writeSource('no-weights.csv', { drop: ['weights'] });
    const r2 = await run('--input', noWeights, '--out', out, '--sets', '1', '--pes-per-set', '1', '--seed', '1');
    expect(r2.code).toBe(2);
    expect(r2.stderr.at(-1)).toContain('"weights"');

    const noLabels = writeSource('no-labels.csv', { drop: ['detailed_labels', 'labels'] });
    const r3 = await run('--input', noLabels, '--out', out, '--sets', '1', '--pes-per-set', '1', '--seed', '1');
    expect(r3.code).toBe(2);
    expect(r3.stderr.at(-1)).toContain('"detailed_labels"');
  });

  it('rejects bad arguments with exit 2', async () => {
    expect((await run('--input', input, '--out', path.join(tmpRoot, 'x'), '--sets', '0', '--pes-per-set', '1', '--seed', '1')).code).toBe(2);
    expect((await run('--input', input, '--out', path.join(tmpRoot, 'x'), '--sets', '1', '--pes-per-set', '1')).code).toBe(2);
    expect((await run('--input', input, '--out', path.join(tmpRoot, 'a'), '--sets', '1', '--pes-per-set', '1', '--seed', '1')).stderr.at(-1)).toContain('already exists');
  });

  it.runIf(hasFixture('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet'))('generates pseudo-experiments from the FAIR-Universe sample', async () => {
    const out = path.join(tmpRoot, 'fair');
    const { code, stdout } = await run(
      '--input', fixturePath('fair_universe_higgsml_sample/FAIR_Universe_HiggsML_data.parquet'),
      '--out', out, '--sets', '2', '--pes-per-set', '2', '--seed', '3', '--expected-yield', '1000',
    );
    expect(code).toBe(0);
    const summary = JSON.parse(stdout[0] as string);
    expect(summary.sourceRows).toBe(1000);
    const truth = decodeArrowTable(read(out, 'truth_pe.arrow'));
    expect(truth.numRows).toBe(4);
    // ~1000·(signal share·μ + background) events before a post-selection that keeps most of them
    expect(summary.rows['pseudo_experiments.arrow']).toBeGreaterThan(1000);
  });
});
