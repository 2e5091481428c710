import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { readParquetTable, writeParquetTable } from '@/lib/shared/parquet';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { parseCsvTable } from '../io/read-feature-table';
import { importFairUniverseParquet } from './fair-universe-parquet';

const SAMPLE = 'fair_universe_higgsml_sample';
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-fair-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
const read = (dir: string, name: string) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(dir, name))));

describe.runIf(hasFixture(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`))('importFairUniverseParquet', () => {
  it('splits the first 30 % into test, rescales weights per class to the 10 fb⁻¹ yields, and adds test@tes variations', async () => {
    const outDir = path.join(tmpRoot, 'v1');
    const manifest = await importFairUniverseParquet({
      input: fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`),
      metadataFile: fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data_metadata.json`),
      outDir,
      variations: [{ name: 'tes_up', tes: 1.03 }],
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    expect(Object.fromEntries(manifest.files.map((f) => [f.name, f.rows]))).toEqual({
      'train.arrow': 700, 'train.csv': 700, 'train.parquet': 700, 'train.root': 700,
      'test.arrow': 300, 'test.csv': 300, 'test.parquet': 300, 'test.root': 300,
      'truth.arrow': 300,
      'test@tes_up.arrow': expect.any(Number), 'test@tes_up.csv': expect.any(Number), 'test@tes_up.parquet': expect.any(Number), 'test@tes_up.root': expect.any(Number),
      'truth@tes_up.arrow': expect.any(Number),
    });
    expect(manifest.expectedYields.signal + manifest.expectedYields.background).toBeCloseTo(1051433, 3);
    expect(manifest.expectedYields.signal).toBeCloseTo(1038.63 * (1051433 / 1051433.03), 1);
    const truth = read(outDir, 'truth.arrow');
    const train = read(outDir, 'train.arrow');
    for (const table of [truth, train]) {
      const w = table.columns.weight as Float64Array;
      const l = table.columns.label as Uint8Array;
      let signal = 0;
      let background = 0;
      w.forEach((x, i) => (l[i] === 1 ? (signal += x) : (background += x)));
      expect(signal).toBeCloseTo(manifest.expectedYields.signal, 6);
      expect(background).toBeCloseTo(manifest.expectedYields.background, 3);
    }
    const counts = (train.columns.detailed_label as string[]).reduce<Record<string, number>>((a, d) => ({ ...a, [d]: (a[d] ?? 0) + 1 }), {});
    expect(counts).toEqual({ ztautau: 634 - 188, htautau: 336 - 109, ttbar: 26 - 1, diboson: 4 - 2 });
    const test = read(outDir, 'test.arrow');
    const source = parseCsvTable(fs.readFileSync(fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.csv`), 'utf8'), 'source');
    expect((test.columns.PRI_had_pt as Float32Array)[7]).toBe(Math.fround((source.columns.PRI_had_pt as Float64Array)[7] as number));
    expect((train.columns.DER_mass_vis as Float32Array)[0]).toBe(Math.fround((source.columns.DER_mass_vis as Float64Array)[300] as number));

    const varied = read(outDir, 'test@tes_up.arrow');
    const ids = varied.columns.id as Int32Array;
    const firstId = ids[0] as number;
    expect((varied.columns.PRI_had_pt as Float32Array)[0]).toBeCloseTo(((test.columns.PRI_had_pt as Float32Array)[firstId] as number) * 1.03, 2);
    expect(Array.from(read(outDir, 'truth@tes_up.arrow').columns.id as Int32Array)).toEqual(Array.from(ids));
    expect(manifest.variations).toEqual([expect.objectContaining({ name: 'tes_up', kind: 'parametrised', parameters: { tes: 1.03, jes: 1, softMet: 0 } })]);
    const parquet = await readParquetTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'test.parquet'))));
    expect(parquet.metadata.dataset).toBe('fair-universe-higgsml');
    expect(parquet.columns.PRI_met).toEqual(test.columns.PRI_met);
  });
});

describe.runIf(hasFixture(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`))('importFairUniverseParquet in row groups', () => {
  it('gives the same tables whatever the input row groups (read one at a time), soft-MET variations included', async () => {
    const source = await readParquetTable(new Uint8Array(fs.readFileSync(fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`))));
    const grouped = path.join(tmpRoot, 'grouped.parquet');
    fs.writeFileSync(grouped, writeParquetTable(source.columns, {}, { rowGroupSize: 128 }));
    const variations = [{ name: 'met', softMet: 2, seed: 3 }, { name: 'tes_up', tes: 1.03 }];
    const common = { metadataFile: fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data_metadata.json`), variations, createdAt: '2026-01-01T00:00:00Z' };
    await importFairUniverseParquet({ ...common, input: fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`), outDir: path.join(tmpRoot, 'one-group') });
    await importFairUniverseParquet({ ...common, input: grouped, outDir: path.join(tmpRoot, 'many-groups') });
    for (const table of ['train', 'test', 'truth', 'test@met', 'truth@met', 'test@tes_up']) {
      expect(read(path.join(tmpRoot, 'many-groups'), `${table}.arrow`).columns, table).toEqual(read(path.join(tmpRoot, 'one-group'), `${table}.arrow`).columns);
    }
  });

  it('names the row of a label that disagrees with its process, and writes nothing', async () => {
    const source = await readParquetTable(new Uint8Array(fs.readFileSync(fixturePath(`${SAMPLE}/FAIR_Universe_HiggsML_data.parquet`))));
    const labels = Float32Array.from(source.columns.labels as Float32Array);
    labels[850] = 1 - (labels[850] as number);
    const bad = path.join(tmpRoot, 'bad-label.parquet');
    fs.writeFileSync(bad, writeParquetTable({ ...source.columns, labels }, {}, { rowGroupSize: 300 }));
    const outDir = path.join(tmpRoot, 'bad-label');
    await expect(importFairUniverseParquet({ input: bad, outDir })).rejects.toThrow(/bad-label\.parquet row 851: labels [01] disagrees with detailed_labels/);
    expect(fs.existsSync(outDir)).toBe(false);
  });
});
