import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, describe, expect, it } from 'vitest';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { TOP_TAGGING_HIGH_LEVEL } from '../importers/atlas-top-tagging-hdf5';
import { runPipelineCli } from '../run-pipeline-cli';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-toy-cli-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

async function run(...args: string[]) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await runPipelineCli(args, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l) });
  return { code, stdout, stderr };
}

describe('pipeline toy-top-tagging', () => {
  it('builds the top-tagging toy with its four variations, JSON summary on stdout and progress on stderr', async () => {
    const out = path.join(tmpRoot, 'top');
    const { code, stdout, stderr } = await run('toy-top-tagging', '--out', out, '--seed', '3', '--train', '300', '--test', '200', '--created-at', '2026-01-01T00:00:00Z');
    expect(code).toBe(0);
    expect(stdout).toHaveLength(1);
    const summary = JSON.parse(stdout[0] as string);
    expect(summary).toMatchObject({ dataset: 'top-tagging-toy', version: '1.0.0', outDir: out });
    expect(summary.rows).toMatchObject({ 'train.arrow': 300, 'test.arrow': 200, 'test@ces_up.arrow': 200, 'test@ces_down.arrow': 200, 'test@cer.arrow': 200, 'test@cpos.arrow': 200 });
    expect(summary.rows['train.csv']).toBeUndefined();
    expect(stderr.join('\n')).toMatch(/\[pipeline\] generated 500 toy jets/);
    expect(datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8'))).recipe).toMatchObject({ seed: 3 });
  });

  it('writes CSV exports with --csv and rejects options of other commands', async () => {
    const out = path.join(tmpRoot, 'top-csv');
    const withCsv = await run('toy-top-tagging', '--out', out, '--train', '40', '--test', '20', '--csv');
    expect(withCsv.code).toBe(0);
    expect(JSON.parse(withCsv.stdout[0] as string).rows['test@cer.csv']).toBe(20);
    const bad = await run('toy-top-tagging', '--out', path.join(tmpRoot, 'x'), '--lumi', '10');
    expect(bad.code).toBe(2);
    expect(bad.stderr.join('\n')).toMatch(/--lumi does not apply to toy-top-tagging/);
  });
});

describe('pipeline toy-signal-strength', () => {
  it('builds train, pseudo-experiments and truth_pe with the requested sets', async () => {
    const out = path.join(tmpRoot, 'mu');
    const { code, stdout, stderr } = await run('toy-signal-strength', '--out', out, '--seed', '2', '--train', '500', '--source', '800', '--sets', '3', '--pes-per-set', '2');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout[0] as string);
    expect(summary).toMatchObject({ dataset: 'higgs-signal-strength-toy', rows: { 'train.arrow': 500, 'truth_pe.arrow': 6 } });
    expect(summary.rows['pseudo_experiments.arrow']).toBe(summary.rows['pseudo_experiments.csv']);
    expect(stderr.join('\n')).toMatch(/generated 6 of 6 pseudo-experiments/);
  });
});

describe('pipeline import-top-tagging --variation', () => {
  it('attaches each --variation name=file as test@<name> and reports a malformed one', async () => {
    await h5wasm.ready;
    const write = (name: string, jets: number) => {
      const file = path.join(tmpRoot, name);
      const f = new h5wasm.File(file, 'w');
      for (const field of ['fjet_clus_pt', 'fjet_clus_eta', 'fjet_clus_phi', 'fjet_clus_E']) {
        f.create_dataset({ name: field, data: Float32Array.from({ length: jets * 200 }, (_, i) => (i % 200 < 3 ? 1000 + i : 0)), shape: [jets, 200] });
      }
      for (const key of [...TOP_TAGGING_HIGH_LEVEL, 'fjet_pt', 'fjet_eta', 'fjet_phi', 'fjet_m']) f.create_dataset({ name: key, data: new Float32Array(jets).fill(1), shape: [jets] });
      f.create_dataset({ name: 'labels', data: Int32Array.from({ length: jets }, (_, j) => j % 2), shape: [jets] });
      f.create_dataset({ name: 'training_weights', data: new Float32Array(jets).fill(1), shape: [jets] });
      f.close();
      return file;
    };
    const train = write('train.h5', 6);
    const test = write('test.h5', 4);
    const up = write('esup.h5', 4);
    const down = write('esdown.h5', 4);
    const out = path.join(tmpRoot, 'imported');
    const { code, stdout } = await run('import-top-tagging', '--out', out, '--train', train, '--test', test, '--max-constituents', '3', '--variation', `ces_up=${up}`, '--variation', `ces_down=${down}`);
    expect(code).toBe(0);
    expect(JSON.parse(stdout[0] as string).rows).toMatchObject({ 'test@ces_up.arrow': 4, 'truth@ces_up.arrow': 4, 'test@ces_down.arrow': 4 });
    const malformed = await run('import-top-tagging', '--out', path.join(tmpRoot, 'y'), '--train', train, '--test', test, '--variation', 'ces_up');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr.join('\n')).toMatch(/--variation needs <name>=<file.h5>/);
  });
});
