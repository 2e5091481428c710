import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema, type DatasetManifest } from '@/lib/shared/dataset-manifest';
import { DER_COLUMN_NAMES, PRI_COLUMN_NAMES } from '../features/der-features';
import { buildHiggsSignalStrengthToyDataset, SIGNAL_STRENGTH_TOY_YIELDS } from './higgs-signal-strength-toy';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-mu-toy-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const options = { seed: 5, trainEvents: 2000, sourceEvents: 3000, sets: 4, experimentsPerSet: 3, createdAt: '2026-01-01T00:00:00.000Z' };
const outDir = path.join(tmpRoot, 'v1');
let manifest: DatasetManifest;
const read = (dir: string, name: string) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dir, name))));

beforeAll(async () => {
  manifest = await buildHiggsSignalStrengthToyDataset({ ...options, outDir });
});

describe('buildHiggsSignalStrengthToyDataset', () => {
  it('writes a validating manifest listing train, pseudo_experiments (+ Parquet and CSV) and the server-only truth_pe', () => {
    expect(datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    expect(manifest).toMatchObject({ dataset: 'higgs-signal-strength-toy', version: '1.0.0', isToy: true, licence: 'CC0-1.0', missingValue: -25 });
    expect(manifest.files.map((f) => [f.name, f.role, f.serverOnly])).toEqual([
      ['train.arrow', 'train', false],
      ['train.parquet', 'export', false],
      ['train.csv', 'export', false],
      ['pseudo_experiments.arrow', 'pseudo_experiments', false],
      ['pseudo_experiments.parquet', 'export', false],
      ['pseudo_experiments.csv', 'export', false],
      ['truth_pe.arrow', 'truth_pe', true],
    ]);
    expect(manifest.expectedYields).toEqual({ signal: 100, background: 900 });
    expect(manifest.description).toMatch(/100 signal/);
    for (const column of ['event_id', 'pe_id', 'label', 'weight', 'detailed_label', 'mu_true', 'set_id', 'n_events']) {
      expect(manifest.columns.map((c) => c.name), column).toContain(column);
    }
  });

  it('gives the labelled train table weights that sum per process to the yields of one pseudo-experiment at μ = 1', () => {
    const train = read(outDir, 'train.arrow');
    expect(train.columnNames).toEqual(['event_id', ...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES, 'label', 'weight', 'detailed_label']);
    const sums: Record<string, number> = {};
    const process = train.columns.detailed_label as string[];
    const weight = train.columns.weight as Float64Array;
    const label = train.columns.label as Uint8Array;
    process.forEach((p, i) => {
      sums[p] = (sums[p] ?? 0) + (weight[i] as number);
      expect(label[i]).toBe(p === 'htautau' ? 1 : 0);
    });
    for (const [p, expected] of Object.entries(SIGNAL_STRENGTH_TOY_YIELDS)) expect(sums[p], p).toBeCloseTo(expected, 8);
  });

  it('has one truth_pe row per pe_id with μ in [0.1, 3] shared within a set, and events for every pe_id', () => {
    const truth = read(outDir, 'truth_pe.arrow');
    const events = read(outDir, 'pseudo_experiments.arrow');
    expect(truth.columnNames).toEqual(['pe_id', 'set_id', 'mu_true', 'tes', 'jes', 'soft_met', 'ttbar_scale', 'diboson_scale', 'bkg_scale', 'n_events']);
    expect(events.columnNames).toEqual(['pe_id', ...PRI_COLUMN_NAMES, ...DER_COLUMN_NAMES]);
    expect(Array.from(truth.columns.pe_id as Int32Array)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    const mu = truth.columns.mu_true as Float64Array;
    const set = truth.columns.set_id as Int32Array;
    const muOfSet = new Map<number, number>();
    for (let i = 0; i < 12; i++) {
      expect(mu[i]).toBeGreaterThanOrEqual(0.1);
      expect(mu[i]).toBeLessThanOrEqual(3);
      expect(muOfSet.get(set[i] as number) ?? mu[i]).toBe(mu[i]);
      muOfSet.set(set[i] as number, mu[i] as number);
    }
    expect([...muOfSet.keys()].sort()).toEqual([0, 1, 2, 3]);
    // Shuffled ids: consecutive pe_ids do not walk through the sets in order.
    expect(Array.from(set)).not.toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
    const counts = new Array<number>(12).fill(0);
    for (const id of events.columns.pe_id as Int32Array) counts[id] = (counts[id] as number) + 1;
    expect(counts).toEqual(Array.from(truth.columns.n_events as Int32Array));
    // About 900 background + 100 μ signal events each (Poisson, nuisances, post-selection).
    counts.forEach((n, i) => {
      expect(n, `pe ${i}`).toBeGreaterThan(0.8 * (900 + 100 * (mu[i] as number)));
      expect(n, `pe ${i}`).toBeLessThan(1.2 * (900 + 100 * (mu[i] as number)));
    });
  });

  it('is byte-identical for the same seed and createdAt, and differs for another seed', async () => {
    const again = path.join(tmpRoot, 'again');
    const other = path.join(tmpRoot, 'other');
    await buildHiggsSignalStrengthToyDataset({ ...options, outDir: again });
    const otherManifest = await buildHiggsSignalStrengthToyDataset({ ...options, seed: 6, outDir: other });
    for (const file of fs.readdirSync(outDir)) expect(fs.readFileSync(path.join(again, file)).equals(fs.readFileSync(path.join(outDir, file))), file).toBe(true);
    expect(otherManifest.files.find((f) => f.name === 'truth_pe.arrow')?.sha256).not.toBe(manifest.files.find((f) => f.name === 'truth_pe.arrow')?.sha256);
  });
});
