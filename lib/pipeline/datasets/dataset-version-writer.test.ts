import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeArrowTable } from '@/lib/shared/arrow';
import { readParquetTable } from '@/lib/shared/parquet';
import { type OpenDatasetVersionWriterInput, openDatasetVersionWriter } from './dataset-version-writer';
import { writeDatasetVersion } from './write-dataset-version';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-stream-writer-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));

const featureColumns = [
  { name: 'pt', unit: 'GeV', description: 'Transverse momentum.' },
  { name: 'eta', unit: 'dimensionless', description: 'Pseudorapidity.' },
];
const manifest = (fixedSplitColumn: string | null) => ({
  dataset: 'stream-test', version: '1.0.0', title: 'Streaming writer test', isToy: true, createdAt: '2026-01-01T00:00:00Z', pipelineVersion: 'test',
  description: 'Rows made up for a test.', licence: 'CC0-1.0', citation: 'none', sources: [{ name: 'generated' }], recipe: {}, luminosityFb: null,
  expectedYields: { signal: 1, background: 2 }, fixedSplitColumn, missingValue: -25,
});

/** A deterministic table of n rows: features, labels, weights, processes and public/private splits. */
function rows(n: number, idOffset: number) {
  const id = Int32Array.from({ length: n }, (_, i) => idOffset + i);
  return {
    id,
    features: { pt: Float32Array.from(id, (v) => 20 + (v % 13) * 1.25), eta: Float32Array.from(id, (v) => ((v * 7) % 11) / 4 - 1.3) },
    label: Uint8Array.from(id, (v) => (v * 5) % 3 === 0 ? 1 : 0),
    weight: Float64Array.from(id, (v) => 0.5 + (v % 4) / 3),
    detailedLabel: Array.from(id, (v) => ['ztautau', 'htautau', 'ttbar'][v % 3] as string),
    split: Array.from(id, (v) => (v % 5 < 2 ? 'public' : 'private')),
  };
}

/** Writes the same version with both writers; the streaming one fed in batches of `feed` rows. */
async function writeBoth(name: string, feed: number, extra: Partial<OpenDatasetVersionWriterInput> = {}) {
  const train = rows(53, 1000);
  const test = rows(37, 0);
  const varied = rows(11, 5000);
  const whole = path.join(tmpRoot, `${name}-whole`);
  await writeDatasetVersion({
    outDir: whole, manifest: manifest('split'), featureColumns, writeParquet: true,
    train: { eventId: train.id, features: train.features, label: train.label, weight: train.weight, detailedLabel: train.detailedLabel },
    test: { id: test.id, features: test.features },
    truth: { id: test.id, label: test.label, weight: test.weight, split: test.split },
    variations: [{ name: 'tes_up', test: { id: varied.id, features: varied.features }, truth: { id: varied.id, label: varied.label, weight: varied.weight } }],
  });
  const streamed = path.join(tmpRoot, `${name}-streamed`);
  const firstSeen = (values: string[]) => [...new Set(values)];
  const writer = await openDatasetVersionWriter({
    outDir: streamed, manifest: manifest('split'), featureColumns, writeParquet: true, variations: ['tes_up'],
    detailedLabels: { values: firstSeen(train.detailedLabel), rows: 53 }, split: { values: firstSeen(test.split), rows: 37 }, ...extra,
  });
  const part = <T extends { length: number; slice(a: number, b: number): T }>(a: T, from: number) => a.slice(from, from + feed);
  for (let from = 0; from < 53; from += feed) {
    await writer.appendTrain({ eventId: part(train.id, from), features: { pt: part(train.features.pt, from), eta: part(train.features.eta, from) }, label: part(train.label, from), weight: part(train.weight, from), detailedLabel: part(train.detailedLabel, from) });
  }
  for (let from = 0; from < 37; from += feed) {
    await writer.appendTest({ id: part(test.id, from), features: { pt: part(test.features.pt, from), eta: part(test.features.eta, from) }, label: part(test.label, from), weight: part(test.weight, from), split: part(test.split, from) });
  }
  await writer.appendVariation('tes_up', { id: varied.id, features: varied.features, label: varied.label, weight: varied.weight });
  await writer.finish();
  return { whole, streamed };
}

const read = (dir: string, file: string) => fs.readFileSync(path.join(dir, file));

describe('openDatasetVersionWriter', () => {
  it('writes byte for byte what writeDatasetVersion writes when each table fits in one batch, however the rows are fed', async () => {
    const { whole, streamed } = await writeBoth('one-batch', 5);
    const names = fs.readdirSync(whole).sort();
    expect(fs.readdirSync(streamed).sort()).toEqual(names);
    for (const name of names) expect(read(streamed, name).equals(read(whole, name)), name).toBe(true);
  });

  it('splits long tables into record batches and row groups with the same values, and the same CSV bytes', async () => {
    const { whole, streamed } = await writeBoth('many-batches', 9, { maxBatchRows: 8 });
    for (const table of ['train', 'test', 'truth', 'test@tes_up', 'truth@tes_up']) {
      expect(decodeArrowTable(read(streamed, `${table}.arrow`))).toEqual(decodeArrowTable(read(whole, `${table}.arrow`)));
    }
    for (const table of ['train', 'test']) {
      expect(read(streamed, `${table}.csv`).equals(read(whole, `${table}.csv`))).toBe(true);
      const parquet = await readParquetTable(new Uint8Array(read(streamed, `${table}.parquet`)));
      expect(parquet).toEqual(await readParquetTable(new Uint8Array(read(whole, `${table}.parquet`))));
    }
    expect(read(streamed, 'train.arrow').equals(read(whole, 'train.arrow'))).toBe(false);
    // The ROOT exports fill baskets by size, not by batch: the same bytes however the rows came.
    for (const table of ['train', 'test', 'test@tes_up']) expect(read(streamed, `${table}.root`).equals(read(whole, `${table}.root`)), table).toBe(true);
    const m = JSON.parse(read(streamed, 'manifest.json').toString());
    expect(m.files.map((f: { name: string; rows: number }) => `${f.name}:${f.rows}`)).toEqual([
      'train.arrow:53', 'train.csv:53', 'train.parquet:53', 'train.root:53', 'test.arrow:37', 'test.csv:37', 'test.parquet:37', 'test.root:37', 'truth.arrow:37',
      'test@tes_up.arrow:11', 'test@tes_up.csv:11', 'test@tes_up.parquet:11', 'test@tes_up.root:11', 'truth@tes_up.arrow:11',
    ]);
  });

  it('refuses an id repeated in a later batch, naming both rows, and leaves neither the version nor its temporary folder', async () => {
    const outDir = path.join(tmpRoot, 'duplicate');
    const writer = await openDatasetVersionWriter({ outDir, manifest: manifest(null), featureColumns, maxBatchRows: 4 });
    const a = rows(6, 0);
    const b = rows(6, 3);
    await writer.appendTrain({ eventId: a.id, features: a.features, label: a.label, weight: a.weight });
    await writer.appendTrain({ eventId: b.id, features: b.features, label: b.label, weight: b.weight });
    await writer.appendTest({ id: a.id, features: a.features, label: a.label, weight: a.weight });
    await expect(writer.finish()).rejects.toMatchObject({ code: 'INVALID_DATASET', message: 'train event_id 3 appears on rows 3 and 6; ids must be unique.', details: { row: 6, column: 'event_id' } });
    expect(fs.readdirSync(tmpRoot).filter((f) => f.startsWith('duplicate'))).toEqual([]);
  });

  it('refuses a label that is not 0 or 1 with the table and its row, counting rows across batches', async () => {
    const outDir = path.join(tmpRoot, 'bad-label');
    const writer = await openDatasetVersionWriter({ outDir, manifest: manifest(null), featureColumns });
    const a = rows(4, 0);
    await writer.appendTest({ id: a.id, features: a.features, label: a.label, weight: a.weight });
    const b = rows(4, 4);
    b.label[2] = 2;
    await expect(writer.appendTest({ id: b.id, features: b.features, label: b.label, weight: b.weight })).rejects.toThrow('truth row 6: label must be 0 or 1, found 2.');
    expect(fs.existsSync(outDir)).toBe(false);
    expect(fs.readdirSync(tmpRoot).filter((f) => f.startsWith('bad-label'))).toEqual([]);
  });
});

describe('openDatasetVersionWriter on writer threads', () => {
  it('writes the same bytes, manifest included, on this thread and on 1, 2 or 3 writer threads, in one batch or many', async () => {
    for (const maxBatchRows of [undefined, 8]) {
      const local = await writeBoth(`threads-0-${maxBatchRows}`, 9, { maxBatchRows });
      const names = fs.readdirSync(local.streamed).sort();
      for (const threads of [1, 2, 3]) {
        const { streamed } = await writeBoth(`threads-${threads}-${maxBatchRows}`, 9, { maxBatchRows, threads });
        expect(fs.readdirSync(streamed).sort()).toEqual(names);
        for (const name of names) expect(read(streamed, name).equals(read(local.streamed, name)), `${threads} threads: ${name}`).toBe(true);
      }
    }
  });

  it('keeps the caller\'s arrays usable after a batch is handed to the threads', async () => {
    const outDir = path.join(tmpRoot, 'threads-kept');
    const writer = await openDatasetVersionWriter({ outDir, manifest: manifest(null), featureColumns, threads: 2 });
    const a = rows(20, 0);
    await writer.appendTrain({ eventId: a.id, features: a.features, label: a.label, weight: a.weight });
    await writer.appendTest({ id: a.id, features: a.features, label: a.label, weight: a.weight });
    expect(a.features.pt.length).toBe(20);
    expect(a.id[19]).toBe(19);
    await writer.finish();
    expect(fs.existsSync(path.join(outDir, 'manifest.json'))).toBe(true);
  });

  it('reports an error met on a writer thread as the typed error, and leaves neither the version nor its temporary folder', async () => {
    const outDir = path.join(tmpRoot, 'threads-error');
    const writer = await openDatasetVersionWriter({ outDir, manifest: manifest(null), featureColumns, threads: 2, maxBatchRows: 4 });
    const a = rows(6, 0);
    // Strings where a float32 feature belongs: the lengths pass the writer's checks, the thread's copy refuses them.
    const bad = { pt: Array.from(a.features.pt, String) as unknown as Float32Array, eta: a.features.eta };
    const fed = (async () => {
      await writer.appendTrain({ eventId: a.id, features: bad, label: a.label, weight: a.weight });
      await writer.appendTest({ id: a.id, features: a.features, label: a.label, weight: a.weight });
      await writer.finish();
    })();
    await expect(fed).rejects.toMatchObject({ code: 'INVALID_DATASET', message: 'A numeric column received strings.' });
    expect(fs.readdirSync(tmpRoot).filter((f) => f.startsWith('threads-error'))).toEqual([]);
  });
});
