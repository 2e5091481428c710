import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import h5wasm from 'h5wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { readParquetTable } from '@/lib/shared/parquet';
import { writeSyntheticTopTaggingHdf5 } from '@/tests/support/importer-inputs';
import { importTopTaggingHdf5, TOP_TAGGING_HIGH_LEVEL } from './atlas-top-tagging-hdf5';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-toptag-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

/** Writes an HDF5 shard with the real schema: N × 200 zero-padded constituents, 15 + 4 jet features, labels, weights. */
function writeShard(file: string, jets: number, options: { weights: boolean; omit?: string; energyScale?: number }) {
  const f = new h5wasm.File(file, 'w');
  const constituents = (scale: number) => {
    const data = new Float32Array(jets * 200);
    for (let j = 0; j < jets; j++) for (let k = 0; k < 3 + (j % 7); k++) data[j * 200 + k] = scale * (j + 1) + k;
    return data;
  };
  const put = (name: string, data: Float32Array | Int32Array, shape: number[]) => {
    if (name !== options.omit) f.create_dataset({ name, data, shape });
  };
  const scale = options.energyScale ?? 1;
  put('fjet_clus_pt', constituents(1000 * scale), [jets, 200]);
  put('fjet_clus_eta', constituents(0.01), [jets, 200]);
  put('fjet_clus_phi', constituents(-0.01), [jets, 200]);
  put('fjet_clus_E', constituents(2000 * scale), [jets, 200]);
  put('fjet_clus_taste', new Int32Array(jets * 200), [jets, 200]);
  TOP_TAGGING_HIGH_LEVEL.forEach((name, h) => put(name, Float32Array.from({ length: jets }, (_, j) => h + j / 100), [jets]));
  put('fjet_pt', Float32Array.from({ length: jets }, (_, j) => scale * (350_000 + 1000 * j)), [jets]);
  put('fjet_eta', Float32Array.from({ length: jets }, (_, j) => -1 + j / jets), [jets]);
  put('fjet_phi', Float32Array.from({ length: jets }, (_, j) => 0.1 * j), [jets]);
  put('fjet_m', Float32Array.from({ length: jets }, (_, j) => 150_000 + j), [jets]);
  put('labels', Int32Array.from({ length: jets }, (_, j) => j % 2), [jets]);
  if (options.weights) put('training_weights', Float32Array.from({ length: jets }, (_, j) => 0.5 + (j % 3)), [jets]);
  f.create_attribute('num_cons', 4);
  f.create_attribute('num_hl', 15);
  f.close();
}

describe('importTopTaggingHdf5', () => {
  beforeAll(async () => {
    await h5wasm.ready;
    writeShard(path.join(tmpRoot, 'train_nominal_000.h5'), 30, { weights: true });
    writeShard(path.join(tmpRoot, 'train_nominal_001.h5'), 11, { weights: true });
    writeShard(path.join(tmpRoot, 'test_nominal_000.h5'), 12, { weights: false });
    writeShard(path.join(tmpRoot, 'broken.h5'), 5, { weights: true, omit: 'fjet_D2' });
    writeShard(path.join(tmpRoot, 'test_esup_000.h5'), 12, { weights: false, energyScale: 1.05 });
    writeShard(path.join(tmpRoot, 'test_cluster_000.h5'), 7, { weights: false });
  });

  it('imports constituents, high-level features, jet 4-vector, labels and training weights into a dataset version', async () => {
    const outDir = path.join(tmpRoot, 'version');
    const manifest = await importTopTaggingHdf5({
      train: [path.join(tmpRoot, 'train_nominal_000.h5'), path.join(tmpRoot, 'train_nominal_001.h5')],
      test: [path.join(tmpRoot, 'test_nominal_000.h5')],
      outDir,
      maxConstituents: 10,
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(manifest.featureColumns).toHaveLength(4 * 10 + 15 + 4);
    expect(manifest.files.map((f) => f.name)).toEqual(['train.arrow', 'train.csv', 'train.parquet', 'train.root', 'test.arrow', 'test.csv', 'test.parquet', 'test.root', 'truth.arrow', 'events@display.arrow']);
    expect(manifest.columns.find((c) => c.name === 'fjet_clus_pt_0')).toMatchObject({ unit: 'MeV' });
    expect(manifest.licence).toBe('CC0-1.0');
    const train = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'train.arrow'))));
    expect(train.numRows).toBe(41);
    // Jet 31 is jet 0 of the second shard: 3 constituents, pT = 1000·1 + k, then zero padding.
    const pt = (k: number) => (train.columns[`fjet_clus_pt_${k}`] as Float32Array)[30];
    expect([pt(0), pt(1), pt(2), pt(3)]).toEqual([1000, 1001, 1002, 0]);
    expect((train.columns.fjet_clus_E_5 as Float32Array)[5]).toBe(2000 * 6 + 5);
    expect((train.columns.fjet_D2 as Float32Array)[2]).toBeCloseTo(1.02, 5);
    expect((train.columns.fjet_m as Float32Array)[40]).toBe(150_010);
    expect(Array.from(train.columns.label as Uint8Array).slice(0, 4)).toEqual([0, 1, 0, 1]);
    expect(Array.from(train.columns.weight as Float64Array).slice(29, 32)).toEqual([2.5, 0.5, 1.5]);
    const truth = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'truth.arrow'))));
    expect(Array.from(truth.columns.weight as Float64Array)).toEqual(new Array(12).fill(1));
    expect(manifest.expectedYields).toEqual({ signal: 6, background: 6 });
    const parquet = await readParquetTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'test.parquet'))));
    expect(parquet.numRows).toBe(12);
    expect(Array.from(parquet.columns.fjet_pt as Float32Array)).toEqual(Array.from(decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'test.arrow')))).columns.fjet_pt as Float32Array));
  });

  it('names the file and the dataset that is missing, and writes nothing', async () => {
    const outDir = path.join(tmpRoot, 'broken-version');
    await expect(importTopTaggingHdf5({ train: [path.join(tmpRoot, 'broken.h5')], test: [path.join(tmpRoot, 'test_nominal_000.h5')], outDir })).rejects.toThrow(
      /broken\.h5 has no dataset "fjet_D2"; it has /,
    );
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('requires training_weights in training files', async () => {
    await expect(importTopTaggingHdf5({ train: [path.join(tmpRoot, 'test_nominal_000.h5')], test: [path.join(tmpRoot, 'test_nominal_000.h5')], outDir: path.join(tmpRoot, 'x') })).rejects.toThrow(
      /test_nominal_000\.h5 has no dataset "training_weights"/,
    );
  });

  it('adds varied test sets: the same jets keep the nominal ids, an alternative sample gets ids of its own', async () => {
    const outDir = path.join(tmpRoot, 'with-variations');
    const manifest = await importTopTaggingHdf5({
      train: [path.join(tmpRoot, 'train_nominal_000.h5')],
      test: [path.join(tmpRoot, 'test_nominal_000.h5')],
      variations: [
        { name: 'ces_up', files: [path.join(tmpRoot, 'test_esup_000.h5')] },
        { name: 'dijet_herwig_cluster', files: [path.join(tmpRoot, 'test_cluster_000.h5')] },
      ],
      outDir,
      maxConstituents: 4,
      writeParquet: false,
      createdAt: '2026-01-01T00:00:00Z',
    });
    expect(manifest.variations).toEqual([
      expect.objectContaining({ name: 'ces_up', kind: 'parametrised' }),
      expect.objectContaining({ name: 'dijet_herwig_cluster', kind: 'alternative-sample' }),
    ]);
    expect(manifest.files.filter((f) => f.name.includes('@') && f.role !== 'display').map((f) => [f.name, f.rows, f.serverOnly])).toEqual([
      ['test@ces_up.arrow', 12, false],
      ['test@ces_up.csv', 12, false],
      ['test@ces_up.root', 12, false],
      ['truth@ces_up.arrow', 12, true],
      ['test@dijet_herwig_cluster.arrow', 7, false],
      ['test@dijet_herwig_cluster.csv', 7, false],
      ['test@dijet_herwig_cluster.root', 7, false],
      ['truth@dijet_herwig_cluster.arrow', 7, true],
    ]);
    const read = (name: string) => decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, name))));
    const nominal = read('test.arrow');
    const up = read('test@ces_up.arrow');
    expect(Array.from(up.columns.id as Int32Array)).toEqual(Array.from(nominal.columns.id as Int32Array));
    expect((up.columns.fjet_clus_pt_0 as Float32Array)[3]).toBeCloseTo(1.05 * 4000, 2);
    expect(Array.from(read('test@dijet_herwig_cluster.arrow').columns.id as Int32Array)).toEqual([12, 13, 14, 15, 16, 17, 18]);
    expect(Array.from(read('truth@dijet_herwig_cluster.arrow').columns.label as Uint8Array)).toEqual([0, 1, 0, 1, 0, 1, 0]);
    expect(manifest.sources.map((s) => s.name)).toContain('test_esup_000.h5');
  });

  it('refuses a variation named "nominal" or with an invalid name before reading anything', async () => {
    const common = { train: [path.join(tmpRoot, 'train_nominal_000.h5')], test: [path.join(tmpRoot, 'test_nominal_000.h5')], outDir: path.join(tmpRoot, 'bad-variation') };
    await expect(importTopTaggingHdf5({ ...common, variations: [{ name: 'nominal', files: [path.join(tmpRoot, 'test_esup_000.h5')] }] })).rejects.toThrow(/Variation name "nominal"/);
    await expect(importTopTaggingHdf5({ ...common, variations: [{ name: 'CES up', files: [path.join(tmpRoot, 'test_esup_000.h5')] }] })).rejects.toThrow(/lower-case letters/);
    expect(fs.existsSync(common.outDir)).toBe(false);
  });
});

describe('importTopTaggingHdf5 on shards larger than one read block', () => {
  it('reads 12,000 jets in hyperslab blocks with the same values as a whole-dataset read, and recognises a varied shard holding the nominal jets', async () => {
    const train = path.join(tmpRoot, 'big_train.h5');
    const test = path.join(tmpRoot, 'big_test.h5');
    writeSyntheticTopTaggingHdf5(train, 12_000, 21, { weights: true });
    writeSyntheticTopTaggingHdf5(test, 300, 22, { eventOffset: 7000 });
    // The same 300 test jets (same seed, so same labels, and the same event numbers) with the cluster energy scaled up.
    const full = path.join(tmpRoot, 'esup_full.h5');
    writeSyntheticTopTaggingHdf5(full, 300, 22, { eventOffset: 7000, energyScale: 1.02 });
    const outDir = path.join(tmpRoot, 'big-version');
    const manifest = await importTopTaggingHdf5({ train: [train], test: [test], variations: [{ name: 'ces_up', files: [full] }], outDir, maxConstituents: 5, writeCsv: false, writeParquet: false, createdAt: '2026-01-01T00:00:00Z' });
    expect(manifest.variations?.[0]).toMatchObject({ kind: 'parametrised' });
    const table = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, 'train.arrow'))));
    expect(table.numRows).toBe(12_000);
    const f = new h5wasm.File(train, 'r');
    try {
      const clusPt = (f.get('fjet_clus_pt') as unknown as { value: Float32Array }).value;
      const weights = (f.get('training_weights') as unknown as { value: Float32Array }).value;
      const labels = (f.get('labels') as unknown as { value: Int32Array }).value;
      for (const jet of [0, 9_999, 10_000, 11_999]) {
        for (let k = 0; k < 5; k++) expect((table.columns[`fjet_clus_pt_${k}`] as Float32Array)[jet]).toBe(clusPt[jet * 200 + k]);
        expect((table.columns.weight as Float64Array)[jet]).toBe(weights[jet]);
        expect((table.columns.label as Uint8Array)[jet]).toBe(labels[jet]);
      }
    } finally {
      f.close();
    }
  });
});
