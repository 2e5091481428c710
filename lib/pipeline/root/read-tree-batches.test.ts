import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basketRecord, layOutBaskets } from '@/tests/support/root-baskets';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { startRangeServer } from '@/tests/support/range-server';
import { plainArrowValue } from '@/tests/support/root-reference';
import { openRootFile } from './index';
import { planBatchRanges } from './plan-batches';
import type { RawBasketRecord } from './raw-records';
import { decodeDiskBasket } from './read-basket';
import { readTreeBatches, schemaOfSelection } from './read-tree-batches';

const PHYSLITE = 'physlite/PHYSLITE_example.root';

const disk = (firstEntry: number, entries: number): RawBasketRecord => ({ kind: 'disk', index: 0, firstEntry, entries, seek: 0, sizeBytes: 0 });
const basketsAt = (...starts: number[]) => starts.slice(0, -1).map((s, i) => disk(s, (starts[i + 1] as number) - s));

describe('planBatchRanges', () => {
  it('ends batches where every branch starts a basket, merging small clusters up to the target', () => {
    const a = basketsAt(0, 100, 200, 300, 400);
    const b = basketsAt(0, 50, 100, 150, 200, 250, 300, 350, 400);
    expect(planBatchRanges([a, b], 0, 400, 250)).toEqual([[0, 200], [200, 400]]);
    expect(planBatchRanges([a, b], 0, 400, 100)).toEqual([[0, 100], [100, 200], [200, 300], [300, 400]]);
  });

  it('cuts a cluster larger than the target at a basket boundary of some branch, or anywhere when there is none', () => {
    const big = basketsAt(0, 1000);
    const small = basketsAt(0, 300, 600, 1000);
    expect(planBatchRanges([big, small], 0, 1000, 400)).toEqual([[0, 300], [300, 600], [600, 1000]]);
    expect(planBatchRanges([big], 0, 1000, 400)).toEqual([[0, 400], [400, 800], [800, 1000]]);
  });

  it('covers exactly the requested entry range, without gaps', () => {
    const a = basketsAt(0, 37, 80, 81, 200, 333);
    const b = basketsAt(0, 10, 90, 333);
    for (const target of [1, 7, 50, 1000]) {
      const ranges = planBatchRanges([a, b], 5, 300, target);
      expect(ranges[0]?.[0]).toBe(5);
      expect(ranges.at(-1)?.[1]).toBe(300);
      ranges.forEach(([from, to], i) => {
        expect(to).toBeGreaterThan(from);
        if (i > 0) expect(from).toBe(ranges[i - 1]?.[1]);
      });
    }
    expect(planBatchRanges([a], 10, 10, 5)).toEqual([]);
  });
});

describe.runIf(hasFixture(PHYSLITE))('readTreeBatches', () => {
  it('reads the baskets of a batch only when the batch is due (a few batches ahead), not the whole branch', async () => {
    const file = await openRootFile(fixturePath(PHYSLITE));
    const tree = await file.getTree('CollectionTree');
    const plan = tree.getBranch('AnalysisJetsAuxDyn.pt');
    const basket = plan.baskets[0] as Extract<RawBasketRecord, { kind: 'disk' }>;
    const decoded = await decodeDiskBasket(await file.source.read(basket.seek, basket.sizeBytes), true, { file: file.name, tree: tree.path, branch: plan.name, basket });
    const entries = Array.from({ length: 100 }, (_, i) => decoded.payload.slice(decoded.entryStarts?.[i] as number, i < 99 ? (decoded.entryStarts?.[i + 1] as number) : decoded.dataEnd));
    const records = Array.from({ length: 20 }, (_, k) => ({ record: basketRecord({ branch: plan.name, tree: 'CollectionTree', entries: entries.slice(k * 5, k * 5 + 5), withOffsets: true, body: 'zlib' }) as Uint8Array, entries: 5 }));
    const { source, baskets, bytes } = layOutBaskets(records);
    const selection = [{ plan: { ...plan, baskets }, columns: plan.columns }];
    const schema = schemaOfSelection(selection, {});
    const seenAfterBatch: number[] = [];
    const values: unknown[] = [];
    for await (const batch of readTreeBatches(source, { path: 'CollectionTree', entries: 100 }, selection, schema, { jobs: 1, batchEntries: 5 })) {
      seenAfterBatch.push(source.bytesRead);
      for (let i = 0; i < batch.numRows; i++) values.push(plainArrowValue(batch.getChildAt(0)?.get(i)));
    }
    expect(seenAfterBatch).toHaveLength(20);
    // The batch handed over and jobs + 1 = 2 in flight: after the first batch, 3 of the 20 baskets have been read.
    expect(seenAfterBatch[0]).toBe(records.slice(0, 3).reduce((s, r) => s + r.record.length, 0));
    expect(seenAfterBatch[9]).toBe(records.slice(0, 12).reduce((s, r) => s + r.record.length, 0));
    expect(seenAfterBatch.at(-1)).toBe(bytes.length - 100);
    const original = await tree.readTable({ branches: plan.name, jobs: 1 });
    expect(values).toEqual(Array.from({ length: 100 }, (_, i) => plainArrowValue(original.getChildAt(0)?.get(i))));
    await file.close();
  });

  it('gives the same batches for any number of decoding threads and reads an entry range', async () => {
    const file = await openRootFile(fixturePath(PHYSLITE));
    const tree = await file.getTree('CollectionTree');
    const branches = 'AnalysisJetsAuxDyn.*,EventInfoAuxDyn.*';
    const one = await tree.readTable({ branches, jobs: 1, batchEntries: 17 });
    const three = await tree.readTable({ branches, jobs: 3, batchEntries: 17 });
    expect(three.batches.map((b) => b.numRows)).toEqual(one.batches.map((b) => b.numRows));
    for (const field of one.schema.fields) {
      expect(Array.from({ length: 100 }, (_, i) => plainArrowValue(three.getChild(field.name)?.get(i))), field.name).toEqual(Array.from({ length: 100 }, (_, i) => plainArrowValue(one.getChild(field.name)?.get(i))));
    }
    const middle = await tree.readTable({ branches: 'AnalysisJetsAuxDyn.pt', jobs: 1, entryStart: 40, entryStop: 47 });
    expect(middle.numRows).toBe(7);
    expect(plainArrowValue(middle.getChildAt(0)?.get(0))).toEqual(plainArrowValue(one.getChild('AnalysisJetsAuxDyn.pt')?.get(40)));
    await file.close();
  });
});

describe.runIf(hasFixture(PHYSLITE))('reading over HTTP range requests', () => {
  let server: Awaited<ReturnType<typeof startRangeServer>>;
  let url = '';
  let ranges: string[] = [];
  beforeAll(async () => {
    server = await startRangeServer(fs.readFileSync(fixturePath(PHYSLITE)), 'PHYSLITE_example.root');
    url = server.url;
    ranges = server.ranges;
  });
  afterAll(() => server.close());

  it('reads batches through a server that honours Range headers, with the same values as from disk and a fraction of the bytes', async () => {
    const remote = await openRootFile(url);
    const local = await openRootFile(fixturePath(PHYSLITE));
    const a = await (await remote.getTree('CollectionTree')).readTable({ branches: 'AnalysisJetsAuxDyn.pt,AnalysisJetsAuxDyn.NumTrkPt500', jobs: 2 });
    const b = await (await local.getTree('CollectionTree')).readTable({ branches: 'AnalysisJetsAuxDyn.pt,AnalysisJetsAuxDyn.NumTrkPt500', jobs: 1 });
    for (const name of ['AnalysisJetsAuxDyn.pt', 'AnalysisJetsAuxDyn.NumTrkPt500']) {
      expect(Array.from({ length: 100 }, (_, i) => plainArrowValue(a.getChild(name)?.get(i)))).toEqual(Array.from({ length: 100 }, (_, i) => plainArrowValue(b.getChild(name)?.get(i))));
    }
    expect(ranges.length).toBeGreaterThan(2);
    expect(remote.source.bytesRead).toBeLessThan(remote.sizeBytes / 2);
    await Promise.all([remote.close(), local.close()]);
  });

  it('refuses a server that ignores Range headers, saying so', async () => {
    const plain = http.createServer((_req, res) => res.end('not a range'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const plainUrl = `http://127.0.0.1:${(plain.address() as AddressInfo).port}/x.root`;
    await expect(openRootFile(plainUrl)).rejects.toThrow(/does not serve byte ranges \(status 200/);
    await new Promise<void>((resolve) => plain.close(() => resolve()));
  });
});
