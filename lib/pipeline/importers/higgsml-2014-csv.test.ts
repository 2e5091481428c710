import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable, type DecodedArrowTable } from '@/lib/shared/arrow';
import { type DatasetManifest, datasetManifestSchema } from '@/lib/shared/dataset-manifest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { writeSyntheticHiggsml2014Csv } from '@/tests/support/importer-inputs';
import { HIGGSML_2014_EXPECTED_YIELDS, HIGGSML_2014_HEADER, importHiggsml2014Csv } from './higgsml-2014-csv';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-higgsml-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const sampleFiles = ['higgsml_2014_sample/train_sml_bg.csv', 'higgsml_2014_sample/train_sml_sig.csv'];
const hasSample = sampleFiles.every((f) => hasFixture(f));

function read(dir: string, file: string): DecodedArrowTable {
  return decodeArrowTable(fs.readFileSync(path.join(dir, file)));
}

function weightSums(table: DecodedArrowTable): { signal: number; background: number } {
  const label = table.columns.label as Uint8Array;
  const weight = table.columns.weight as Float64Array;
  let signal = 0;
  let background = 0;
  for (let i = 0; i < table.numRows; i++) if (label[i] === 1) signal += weight[i] as number; else background += weight[i] as number;
  return { signal, background };
}

describe.skipIf(!hasSample)('importHiggsml2014Csv on the 9998-row open-data sample', () => {
  const outDir = path.join(tmpRoot, 'sample');
  const inputs = sampleFiles.map(fixturePath);
  let pending: Promise<DatasetManifest> | undefined;
  /** One import shared by the tests of this block, started by the first test that needs it. */
  const imported = () => (pending ??= importHiggsml2014Csv({ inputs, outDir, seed: 5, createdAt: '2026-01-01T00:00:00.000Z' }));

  it('holds out 30 % of each class as test, keeping every event exactly once', async () => {
    const manifest = await imported();
    const train = read(outDir, 'train.arrow');
    const test = read(outDir, 'test.arrow');
    expect(train.numRows + test.numRows).toBe(9998);
    expect(test.numRows).toBe(3000);
    const truthLabels = read(outDir, 'truth.arrow').columns.label as Uint8Array;
    expect(truthLabels.reduce((a, b) => a + b, 0)).toBe(1500);
    const ids = [...(train.columns.event_id as Int32Array), ...(test.columns.id as Int32Array)];
    expect(new Set(ids).size).toBe(9998);
    expect(manifest.files.map((f) => [f.name, f.rows])).toEqual([
      ['train.arrow', 6998], ['train.csv', 6998], ['train.parquet', 6998], ['train.root', 6998],
      ['test.arrow', 3000], ['test.csv', 3000], ['test.parquet', 3000], ['test.root', 3000], ['truth.arrow', 3000],
    ]);
  });

  it('rescales KaggleWeight so that train and test each reproduce the expected yields per class', async () => {
    await imported();
    for (const table of [read(outDir, 'train.arrow'), read(outDir, 'truth.arrow')]) {
      const sums = weightSums(table);
      expect(sums.signal).toBeCloseTo(HIGGSML_2014_EXPECTED_YIELDS.signal, 8);
      expect(sums.background).toBeCloseTo(HIGGSML_2014_EXPECTED_YIELDS.background, 6);
    }
  });

  it('keeps the file\'s feature names and values, with −999 preserved', async () => {
    const manifest = await imported();
    expect(manifest.featureColumns).toEqual(HIGGSML_2014_HEADER.slice(1, 31));
    const train = read(outDir, 'train.arrow');
    const test = read(outDir, 'test.arrow');
    const mmc = [...(train.columns.DER_mass_MMC as Float32Array), ...(test.columns.DER_mass_MMC as Float32Array)];
    expect(mmc.filter((v) => v === -999).length).toBe(1055 + 158);
    // EventId 100001 (first row of train_sml_bg.csv): DER_mass_MMC 160.937, PRI_jet_num 1, DER_mass_jet_jet −999.
    const all = new Map<number, number>();
    (train.columns.event_id as Int32Array).forEach((id, i) => all.set(id, i));
    const row = all.get(100001);
    const table = row === undefined ? test : train;
    const index = row ?? (test.columns.id as Int32Array).indexOf(100001);
    expect((table.columns.DER_mass_MMC as Float32Array)[index]).toBe(Math.fround(160.937));
    expect((table.columns.PRI_jet_num as Float32Array)[index]).toBe(1);
    expect((table.columns.DER_mass_jet_jet as Float32Array)[index]).toBe(-999);
    expect(fs.readFileSync(path.join(outDir, table === train ? 'train.csv' : 'test.csv'), 'utf8')).toMatch(/\n100001,160\.937,68\.768,103\.235,48\.146,-999,-999,-999,3\.473,/);
  });

  it('writes a manifest that parses, with the DOI, CC0 and the sha256 of each input', async () => {
    const manifest = await imported();
    expect(datasetManifestSchema.parse(JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')))).toEqual(manifest);
    expect(manifest).toMatchObject({ dataset: 'higgsml-2014', isToy: false, licence: 'CC0-1.0', missingValue: -999, fixedSplitColumn: null });
    expect(manifest.expectedYields).toEqual(HIGGSML_2014_EXPECTED_YIELDS);
    expect(manifest.sources[0]?.doi).toBe('10.7483/OPENDATA.ATLAS.ZBP2.M5T8');
    for (const input of inputs) {
      const sha256 = createHash('sha256').update(fs.readFileSync(input)).digest('hex');
      expect(manifest.sources).toContainEqual(expect.objectContaining({ name: path.basename(input), sha256 }));
    }
    expect(manifest.recipe).toMatchObject({ testFraction: 0.3, seed: 5, rowsByKaggleSet: { t: 9998, b: 0, v: 0, u: 0 } });
  });

  it('shuffles the rows so that the order of the input files does not reveal the label', async () => {
    await imported();
    const labels = read(outDir, 'truth.arrow').columns.label as Uint8Array;
    const firstHalfSignal = labels.subarray(0, 1500).reduce((a, b) => a + b, 0);
    expect(firstHalfSignal).toBeGreaterThan(600);
    expect(firstHalfSignal).toBeLessThan(900);
  });

  it('gives the same split for the same seed and a different one for another seed', async () => {
    await imported();
    const again = path.join(tmpRoot, 'sample-again');
    const other = path.join(tmpRoot, 'sample-other');
    await importHiggsml2014Csv({ inputs, outDir: again, seed: 5, createdAt: '2026-01-01T00:00:00.000Z' });
    await importHiggsml2014Csv({ inputs, outDir: other, seed: 6, createdAt: '2026-01-01T00:00:00.000Z' });
    expect(fs.readFileSync(path.join(again, 'truth.arrow')).equals(fs.readFileSync(path.join(outDir, 'truth.arrow')))).toBe(true);
    expect(read(other, 'test.arrow').columns.id).not.toEqual(read(outDir, 'test.arrow').columns.id);
  });
});

type RowFields = { EventId: number | string; Label?: string; KaggleSet?: string; KaggleWeight?: string; [column: string]: number | string | undefined };

function csvRow(fields: RowFields): string {
  return HIGGSML_2014_HEADER.map((name) => {
    if (fields[name] !== undefined) return String(fields[name]);
    if (name === 'Label') return 'b';
    if (name === 'KaggleSet') return 't';
    if (name === 'KaggleWeight' || name === 'Weight') return '1.5';
    if (name === 'PRI_jet_num') return '0';
    return name.includes('jet') ? '-999.0' : '12.5';
  }).join(',');
}

function writeCsv(name: string, rows: RowFields[], header = HIGGSML_2014_HEADER.join(',')): string {
  const file = path.join(tmpRoot, name);
  fs.writeFileSync(file, [header, ...rows.map(csvRow)].join('\r\n') + '\r\n');
  return file;
}

describe('importHiggsml2014Csv with KaggleSet b/v rows', () => {
  it('uses t as train, b/v as the public/private test with KaggleWeight, and drops u', async () => {
    const file = writeCsv('fixed.csv', [
      { EventId: 1, Label: 's', KaggleSet: 't', KaggleWeight: '0.5' },
      { EventId: 2, Label: 'b', KaggleSet: 't', KaggleWeight: '2.5' },
      { EventId: 3, Label: 's', KaggleSet: 'b', KaggleWeight: '0.25' },
      { EventId: 4, Label: 'b', KaggleSet: 'v', KaggleWeight: '4' },
      { EventId: 5, Label: 'b', KaggleSet: 'u', KaggleWeight: '9' },
      { EventId: 6, Label: 'b', KaggleSet: 'b', KaggleWeight: '3' },
    ]);
    const outDir = path.join(tmpRoot, 'fixed');
    const manifest = await importHiggsml2014Csv({ inputs: [file], outDir });
    expect(manifest.fixedSplitColumn).toBe('split');
    const train = read(outDir, 'train.arrow');
    const truth = read(outDir, 'truth.arrow');
    expect(Array.from(train.columns.event_id as Int32Array)).toEqual([1, 2]);
    expect(Array.from(train.columns.weight as Float64Array)).toEqual([0.5, 2.5]);
    expect(Array.from(truth.columns.id as Int32Array)).toEqual([3, 4, 6]);
    expect(Array.from(truth.columns.weight as Float64Array)).toEqual([0.25, 4, 3]);
    expect(Array.from(truth.columns.label as Uint8Array)).toEqual([1, 0, 0]);
    expect(truth.columns.split).toEqual(['public', 'private', 'public']);
    expect(read(outDir, 'test.arrow').columnNames.slice(0, 2)).toEqual(['id', 'DER_mass_MMC']);
    expect(manifest.recipe).toMatchObject({ rowsByKaggleSet: { t: 2, b: 2, v: 1, u: 1 }, testFraction: null });
  });
});

describe('importHiggsml2014Csv rejects bad input, naming file, line and column', () => {
  const good = (id: number, extra: Partial<RowFields> = {}): RowFields => ({ EventId: id, Label: id % 2 ? 's' : 'b', ...extra });
  const cases: [string, () => string[], RegExp, Record<string, unknown>][] = [
    ['a renamed header column', () => [writeCsv('renamed.csv', [good(1)], HIGGSML_2014_HEADER.join(',').replace('DER_mass_vis', 'DER_mass_viz'))],
      /renamed\.csv line 1: the header is not the HiggsML 2014 open-data header \(missing DER_mass_vis; unexpected DER_mass_viz\)/, { file: 'renamed.csv', row: 1 }],
    ['columns in another order', () => [writeCsv('order.csv', [good(1)], ['EventId', 'DER_mass_transverse_met_lep', 'DER_mass_MMC', ...HIGGSML_2014_HEADER.slice(3)].join(','))],
      /order\.csv line 1, column DER_mass_transverse_met_lep: column 2 of the header should be "DER_mass_MMC"/, { row: 1 }],
    ['a non-numeric feature', () => [writeCsv('text.csv', [good(1), good(2, { DER_mass_vis: 'abc' })])],
      /text\.csv line 3, column DER_mass_vis: expected a number, found "abc"/, { file: 'text.csv', row: 3, column: 'DER_mass_vis', found: 'abc' }],
    ['an empty feature', () => [writeCsv('empty-field.csv', [good(1, { PRI_met: '' })])],
      /empty-field\.csv line 2, column PRI_met: expected a number, found ""/, { column: 'PRI_met' }],
    ['a bad Label', () => [writeCsv('label.csv', [good(1), good(2, { Label: 'S' })])],
      /label\.csv line 3, column Label: expected "s" or "b", found "S"/, { column: 'Label', expected: 's or b' }],
    ['a bad KaggleSet', () => [writeCsv('set.csv', [good(1, { KaggleSet: 'x' })])],
      /set\.csv line 2, column KaggleSet: expected one of t, b, v, u, found "x"/, { column: 'KaggleSet' }],
    ['a fractional PRI_jet_num', () => [writeCsv('jetnum.csv', [good(1, { PRI_jet_num: '1.5' })])],
      /jetnum\.csv line 2, column PRI_jet_num: expected an integer 0–3, found "1.5"/, { column: 'PRI_jet_num' }],
    ['a non-positive KaggleWeight', () => [writeCsv('weight.csv', [good(1, { KaggleWeight: '0' })])],
      /weight\.csv line 2, column KaggleWeight: expected a positive number, found "0"/, { column: 'KaggleWeight' }],
    ['a short row', () => {
      const file = writeCsv('short.csv', [good(1)]);
      fs.appendFileSync(file, '7,1,2,3\n');
      return [file];
    }, /short\.csv line 3: expected 35 comma-separated fields, found 4/, { row: 3 }],
    ['an EventId repeated in a second file', () => [writeCsv('first.csv', [good(1), good(2)]), writeCsv('second.csv', [good(3), good(2)])],
      /second\.csv line 3, column EventId: EventId 2 duplicates line 3 of first\.csv/, { file: 'second.csv', row: 3, column: 'EventId' }],
    ['a missing file', () => [path.join(tmpRoot, 'nope.csv')], /Input file .*nope\.csv does not exist/, {}],
    ['an empty file', () => {
      const file = path.join(tmpRoot, 'empty.csv');
      fs.writeFileSync(file, '');
      return [file];
    }, /empty\.csv line 0: the file is empty/, {}],
  ];

  it.each(cases)('rejects %s', async (_what, makeInputs, message, details) => {
    const outDir = path.join(tmpRoot, 'rejected');
    const error = await importHiggsml2014Csv({ inputs: makeInputs(), outDir }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_DATASET', message: expect.stringMatching(message), details: expect.objectContaining(details) });
    expect(fs.existsSync(outDir)).toBe(false);
  });

  it('rejects an input with only one class, since the held-out test could not reproduce both yields', async () => {
    const file = writeCsv('one-class.csv', [good(1, { Label: 'b' }), good(3, { Label: 'b' }), good(5, { Label: 'b' })]);
    await expect(importHiggsml2014Csv({ inputs: [file], outDir: path.join(tmpRoot, 'one-class') })).rejects.toThrow(
      /Cannot hold out 0\.3 of the 0 signal training rows/,
    );
  });

  it('rejects a test fraction outside (0, 1)', async () => {
    const file = writeCsv('fraction.csv', [good(1), good(2)]);
    await expect(importHiggsml2014Csv({ inputs: [file], outDir: path.join(tmpRoot, 'fraction'), testFraction: 1 })).rejects.toThrow(
      /testFraction must be strictly between 0 and 1, got 1/,
    );
  });
});

describe('importHiggsml2014Csv on compressed and large inputs', () => {
  it('reads a .csv.gz as the plain CSV, hashing the compressed bytes', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ EventId: 500 + i, Label: i % 3 ? 'b' : 's', KaggleSet: ['t', 't', 'b', 'v'][i % 4] as string, KaggleWeight: String(1 + i / 10) }));
    const plain = writeCsv('plain.csv', rows);
    const gz = path.join(tmpRoot, 'plain.csv.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(plain)));
    await importHiggsml2014Csv({ inputs: [plain], outDir: path.join(tmpRoot, 'from-plain'), createdAt: '2026-01-01T00:00:00Z' });
    const manifest = await importHiggsml2014Csv({ inputs: [gz], outDir: path.join(tmpRoot, 'from-gz'), createdAt: '2026-01-01T00:00:00Z' });
    for (const file of ['train.arrow', 'test.arrow', 'truth.arrow']) expect(read(path.join(tmpRoot, 'from-gz'), file).columns).toEqual(read(path.join(tmpRoot, 'from-plain'), file).columns);
    expect(fs.readFileSync(path.join(tmpRoot, 'from-gz', 'train.csv')).equals(fs.readFileSync(path.join(tmpRoot, 'from-plain', 'train.csv')))).toBe(true);
    expect(manifest.sources[1]).toMatchObject({ name: 'plain.csv.gz', sha256: createHash('sha256').update(fs.readFileSync(gz)).digest('hex') });
  });

  it('names a truncated .gz instead of importing part of it', async () => {
    const plain = writeCsv('cut.csv', [{ EventId: 1 }, { EventId: 2 }]);
    const gz = path.join(tmpRoot, 'cut.csv.gz');
    const whole = zlib.gzipSync(fs.readFileSync(plain));
    fs.writeFileSync(gz, whole.subarray(0, whole.length - 12));
    const error = await importHiggsml2014Csv({ inputs: [gz], outDir: path.join(tmpRoot, 'cut') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'INVALID_DATASET', message: expect.stringMatching(/cut\.csv\.gz could not be read after line \d+: .*complete CSV \(gzip\) file/) });
    expect(fs.existsSync(path.join(tmpRoot, 'cut'))).toBe(false);
  });

  it.skipIf(!hasSample)('imports 60,000 resampled rows with KaggleSet t/b/v/u in many batches, every row once', async () => {
    const file = path.join(tmpRoot, 'synthetic.csv');
    await writeSyntheticHiggsml2014Csv(file, 60_000, 3);
    const outDir = path.join(tmpRoot, 'synthetic');
    const manifest = await importHiggsml2014Csv({ inputs: [file], outDir, createdAt: '2026-01-01T00:00:00Z' });
    const sets = manifest.recipe.rowsByKaggleSet as { t: number; b: number; v: number; u: number };
    expect(sets.t + sets.b + sets.v + sets.u).toBe(60_000);
    const train = read(outDir, 'train.arrow');
    const truth = read(outDir, 'truth.arrow');
    expect(train.numRows).toBe(sets.t);
    expect(truth.numRows).toBe(sets.b + sets.v);
    expect((truth.columns.split as string[]).filter((s) => s === 'public').length).toBe(sets.b);
    const ids = truth.columns.id as Int32Array;
    for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1] as number);
    // Row 45,000 of the file (a v row) keeps its features: compare with the CSV line.
    const line = fs.readFileSync(file, 'utf8').split('\n')[45_001] as string;
    const fields = line.split(',');
    const row = Array.from(ids).indexOf(Number(fields[0]));
    expect((read(outDir, 'test.arrow').columns.DER_mass_vis as Float32Array)[row]).toBe(Math.fround(Number(fields[3])));
  });
});
