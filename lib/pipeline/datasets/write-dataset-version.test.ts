import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { openRootFile } from '../root';
import { type WriteDatasetVersionInput, writeDatasetVersion } from './write-dataset-version';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-writer-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

function input(outDir: string, overrides: Partial<WriteDatasetVersionInput> = {}): WriteDatasetVersionInput {
  return {
    outDir,
    featureColumns: [
      { name: 'x', unit: 'GeV', description: 'A momentum.' },
      { name: 'n', unit: 'dimensionless', description: 'A count.' },
    ],
    manifest: {
      dataset: 'unit-test',
      version: '0.0.1',
      title: 'Unit test',
      isToy: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      pipelineVersion: 'test',
      description: 'Four events.',
      licence: 'CC0-1.0',
      citation: 'None.',
      sources: [{ name: 'hand-written', sha256: 'a'.repeat(64), doi: '10.0/x' }],
      recipe: { how: 'by hand' },
      luminosityFb: null,
      expectedYields: { signal: 1, background: 2 },
      fixedSplitColumn: 'split',
      missingValue: -999,
    },
    train: {
      eventId: Int32Array.of(1, 2),
      features: { x: Float32Array.of(1.5, -999), n: Float32Array.of(0, 2) },
      label: Uint8Array.of(1, 0),
      weight: Float64Array.of(1, 2),
      detailedLabel: ['sig', 'bkg'],
    },
    test: { id: Int32Array.of(10, 11), features: { x: Float32Array.of(0.1, 3.25), n: Float32Array.of(1, 1) } },
    truth: { id: Int32Array.of(10, 11), label: Uint8Array.of(0, 1), weight: Float64Array.of(2, 1), split: ['public', 'private'] },
    ...overrides,
  };
}

const leftovers = () => fs.readdirSync(tmpRoot).filter((name) => /\.(tmp|old)-/.test(name));

describe('writeDatasetVersion', () => {
  it('writes Arrow, CSV and a manifest whose sha256, sizes and rows describe the files on disk', async () => {
    const outDir = path.join(tmpRoot, 'ok');
    const manifest = await writeDatasetVersion(input(outDir));
    expect(fs.readdirSync(outDir).sort()).toEqual(['manifest.json', 'test.arrow', 'test.csv', 'test.parquet', 'test.root', 'train.arrow', 'train.csv', 'train.parquet', 'train.root', 'truth.arrow']);
    expect(datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    for (const file of manifest.files) {
      const bytes = fs.readFileSync(path.join(outDir, file.name));
      expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(file.sizeBytes).toBe(bytes.length);
      expect(file.rows).toBe(2);
      expect(file.serverOnly).toBe(file.name === 'truth.arrow');
    }
    expect(manifest.featureColumns).toEqual(['x', 'n']);
    expect(manifest.columns.map((c) => c.name)).toEqual(['event_id', 'id', 'x', 'n', 'label', 'weight', 'detailed_label', 'split']);
    expect(leftovers()).toEqual([]);
  });

  it('exports train.root and test.root (one TTree each) that jsroot reads back with the Arrow tables’ values, byte-identical for the same input', async () => {
    const variation = { name: 'tes_up', test: { id: Int32Array.of(10, 11), features: { x: Float32Array.of(0.2, 3.5), n: Float32Array.of(1, 1) } }, truth: { id: Int32Array.of(10, 11), label: Uint8Array.of(0, 1), weight: Float64Array.of(2, 1) } };
    const outDir = path.join(tmpRoot, 'root-export');
    const manifest = await writeDatasetVersion(input(outDir, { variations: [variation] }));
    expect(manifest.files.filter((f) => f.format === 'root').map((f) => [f.name, f.rows, f.role, f.serverOnly])).toEqual([
      ['train.root', 2, 'export', false],
      ['test.root', 2, 'export', false],
      ['test@tes_up.root', 2, 'export', false],
    ]);
    for (const [fileName, treeName] of [['train.root', 'train'], ['test.root', 'test'], ['test@tes_up.root', 'test_tes_up']] as const) {
      const arrow = decodeArrowTable(new Uint8Array(fs.readFileSync(path.join(outDir, fileName.replace('.root', '.arrow')))));
      const file = await openRootFile(path.join(outDir, fileName));
      try {
        expect(file.trees.map((t) => t.name)).toEqual([treeName]);
        const tree = await file.getTree(treeName);
        expect(tree.branches.map((b) => b.name)).toEqual(arrow.columnNames);
        const values = await tree.readWithJsrootEventLoop(arrow.columnNames);
        for (const name of arrow.columnNames) {
          const column = arrow.columns[name] as ArrayLike<unknown>;
          const expected = Array.from(column);
          const got = values[name] as unknown[];
          expect(got, `${fileName} ${name}`).toEqual(typeof expected[0] === 'string' ? expected : expected.map(Number));
        }
      } finally {
        await file.close();
      }
    }
    expect(fs.readFileSync(path.join(outDir, 'train.root')).subarray(0, 4).toString('latin1')).toBe('root');
    const again = path.join(tmpRoot, 'root-export-again');
    await writeDatasetVersion(input(again, { variations: [variation] }));
    for (const name of ['train.root', 'test.root']) expect(Buffer.compare(fs.readFileSync(path.join(outDir, name)), fs.readFileSync(path.join(again, name))), name).toBe(0);
  });

  it('repeats the provenance in the schema metadata of every Arrow file', async () => {
    const outDir = path.join(tmpRoot, 'metadata');
    await writeDatasetVersion(input(outDir));
    for (const [file, role] of [['train.arrow', 'train'], ['test.arrow', 'test'], ['truth.arrow', 'truth']]) {
      const { metadata } = decodeArrowTable(fs.readFileSync(path.join(outDir, file as string)));
      expect(metadata).toMatchObject({ dataset: 'unit-test', version: '0.0.1', role, licence: 'CC0-1.0', citation: 'None.', pipeline_version: 'test', missing_value: '-999' });
      expect(JSON.parse(metadata.sources as string)).toEqual([{ name: 'hand-written', sha256: 'a'.repeat(64), doi: '10.0/x' }]);
    }
    const truth = decodeArrowTable(fs.readFileSync(path.join(outDir, 'truth.arrow')));
    expect(truth.columns.split).toEqual(['public', 'private']);
    expect(fs.readFileSync(path.join(outDir, 'test.csv'), 'utf8')).toBe('id,x,n\n10,0.1,1\n11,3.25,1\n');
    expect(fs.readFileSync(path.join(outDir, 'train.csv'), 'utf8')).toBe('event_id,x,n,label,weight,detailed_label\n1,1.5,0,1,1,sig\n2,-999,2,0,2,bkg\n');
  });

  it('refuses to replace an existing folder unless overwrite is set, then replaces it whole', async () => {
    const outDir = path.join(tmpRoot, 'existing');
    fs.mkdirSync(outDir);
    fs.writeFileSync(path.join(outDir, 'stale.txt'), 'old');
    await expect(writeDatasetVersion(input(outDir))).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(/already exists.*--overwrite/) });
    expect(fs.readdirSync(outDir)).toEqual(['stale.txt']);
    await writeDatasetVersion(input(outDir, { overwrite: true }));
    expect(fs.existsSync(path.join(outDir, 'stale.txt'))).toBe(false);
    expect(fs.existsSync(path.join(outDir, 'manifest.json'))).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('leaves neither the version nor a temporary folder behind when the tables are invalid', async () => {
    const outDir = path.join(tmpRoot, 'invalid');
    const bad = input(outDir);
    bad.truth = { ...bad.truth, id: Int32Array.of(10, 12) };
    await expect(writeDatasetVersion(bad)).rejects.toMatchObject({
      code: 'INVALID_DATASET',
      message: 'truth row 1 has id 12 but test row 1 has id 11; truth must list the test ids in test order.',
    });
    expect(fs.existsSync(outDir)).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it.each([
    ['a duplicated test id', (i: WriteDatasetVersionInput) => { i.test.id = Int32Array.of(10, 10); i.truth.id = Int32Array.of(10, 10); }, /test id 10 appears on rows 0 and 1/],
    ['a label other than 0/1', (i: WriteDatasetVersionInput) => { i.train.label = Uint8Array.of(1, 2); }, /train row 1: label must be 0 or 1, found 2/],
    ['a negative weight', (i: WriteDatasetVersionInput) => { i.truth.weight = Float64Array.of(1, -1); }, /truth row 1: weight must be a finite number ≥ 0, found -1/],
    ['an unknown split', (i: WriteDatasetVersionInput) => { i.truth.split = ['public', 'secret']; }, /split must be "public" or "private", found "secret"/],
    ['a short feature column', (i: WriteDatasetVersionInput) => { i.test.features.x = Float32Array.of(1); }, /test column "x" has 1 rows, expected 2/],
    ['a split column without fixedSplitColumn', (i: WriteDatasetVersionInput) => { i.manifest = { ...i.manifest, fixedSplitColumn: null }; }, /fixedSplitColumn must be "split"/],
    ['a manifest that does not validate', (i: WriteDatasetVersionInput) => { i.manifest = { ...i.manifest, dataset: 'Bad Name' }; }, /manifest of Bad Name does not validate: dataset/],
  ])('rejects %s with a message naming it', async (_what, mutate, message) => {
    const bad = input(path.join(tmpRoot, 'rejected'));
    mutate(bad);
    await expect(writeDatasetVersion(bad)).rejects.toThrow(message);
    expect(fs.existsSync(path.join(tmpRoot, 'rejected'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });
});
