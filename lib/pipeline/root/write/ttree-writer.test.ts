import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Bool, Field, Float32, Int64, List, type RecordBatch, Schema, Struct, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/shared/app-error';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { openLocalByteSource } from '../byte-source';
import { openRootFile, type RootTree } from '../index';
import { readRootFileLayout } from '../jsroot-adapter';
import type { RootElementType } from '../root-types';
import { treeBranchesFromArrowSchema } from './arrow-batch-columns';
import type { TreeBranchSpec } from './branch-types';
import { createInMemoryRootFile, createRootFile } from './create-root-file';
import type { RootCompressionSettings } from './compress-root-payload';
import { ROOT_STREAMER_INFOS } from './streamer-infos';

const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-root-write-'));
afterAll(() => fs.rmSync(tmpRoot, { recursive: true, force: true }));
let fileCount = 0;
const tmpFile = (name = 'file') => path.join(tmpRoot, `${name}-${fileCount++}.root`);

/** Deterministic values of every element type, including each type's extremes. */
function valuesOf(type: RootElementType, n: number): number[] | bigint[] {
  const extremes: Record<RootElementType, (number | bigint)[]> = {
    int8: [-128, 127, 0],
    uint8: [0, 255, 1],
    bool: [0, 1, 1],
    int16: [-32768, 32767, -1],
    uint16: [0, 65535, 7],
    int32: [-2147483648, 2147483647, 0],
    uint32: [0, 4294967295, 123456789],
    int64: [-(2n ** 63n), 2n ** 63n - 1n, -5n],
    uint64: [0n, 2n ** 64n - 1n, 2n ** 53n + 1n],
    float32: [-3.4028234663852886e38, 1.401298464324817e-45, -0],
    float64: [Number.MAX_VALUE, -Number.MIN_VALUE, Math.PI],
  };
  const out: (number | bigint)[] = [];
  for (let i = 0; i < n; i++) {
    const extreme = extremes[type][i % 7];
    if (extreme !== undefined && i < 21) out.push(extreme);
    else if (type === 'int64' || type === 'uint64') out.push(BigInt((i * 7919) % 100003));
    else if (type === 'bool') out.push(i % 3 === 0 ? 1 : 0);
    else if (type === 'float32') out.push(Math.fround(i * 0.37 - 11));
    else if (type === 'float64') out.push(i * 1.0000001 - 3.5e-3);
    else out.push((i * 31) % 100);
  }
  return out as number[] | bigint[];
}

const ALL_TYPES: RootElementType[] = ['int8', 'uint8', 'bool', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float32', 'float64'];
const ARRAYS = { int8: Int8Array, uint8: Uint8Array, bool: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array, float32: Float32Array, float64: Float64Array } as const;
const typed = (type: RootElementType, values: number[] | bigint[]) => (ARRAYS[type] as unknown as { from(v: ArrayLike<unknown>): ArrayLike<number | bigint> }).from(values);

/** Entry e of a vector column holds (e % 5) elements: entries 0, 5, 10, … are empty vectors. */
function jagged(type: RootElementType, entries: number) {
  const offsets = new Int32Array(entries + 1);
  for (let e = 0; e < entries; e++) offsets[e + 1] = (offsets[e] as number) + (e % 5);
  return { values: typed(type, valuesOf(type, offsets[entries] as number)), offsets };
}

async function layoutOf(file: string) {
  const source = await openLocalByteSource(file);
  try {
    return await readRootFileLayout(source);
  } finally {
    await source.close();
  }
}

const asNumbers = (values: ArrayLike<number | bigint | boolean>) => Array.from(values, (v) => Number(v));
/**
 * jsroot's event loop turns 64-bit integers into doubles and gets some beyond 2⁵³ wrong (−2⁶² comes out 2³² off), so
 * it is compared only where a double is exact; our reader is compared on every value, as bigints.
 */
const isExactInDouble = (v: number | bigint) => typeof v !== 'bigint' || (v <= 2n ** 53n && v >= -(2n ** 53n));
const jsrootComparable = (got: unknown[], want: ArrayLike<number | bigint>) => {
  const keep = Array.from(want, isExactInDouble);
  return [asNumbers(got.filter((_, i) => keep[i]) as number[]), asNumbers(Array.from(want).filter((_, i) => keep[i]))];
};

/** Reads every listed branch with our reader and with jsroot's event loop and expects both to equal `expected`. */
async function expectBranches(tree: RootTree, expected: Record<string, { flat?: ArrayLike<number | bigint>; vector?: { values: ArrayLike<number | bigint>; offsets: Int32Array }; strings?: string[] }>) {
  const names = Object.keys(expected);
  const jsroot = await tree.readWithJsrootEventLoop(names);
  for (const name of names) {
    const want = expected[name] as NonNullable<(typeof expected)[string]>;
    const got = jsroot[name] as unknown[];
    if (want.strings) {
      // jsroot hands a C string over byte by byte (Latin-1); the bytes are UTF-8.
      expect((got as string[]).map((text) => Buffer.from(text, 'latin1').toString('utf8')), name).toEqual(want.strings);
      continue;
    }
    const column = await tree.readBranch(name);
    if (want.flat) {
      // Our reader keeps 64-bit integers exact; jsroot's event loop gives numbers.
      expect(Array.from(column.values as ArrayLike<number | bigint>), name).toEqual(Array.from(want.flat));
      const [jsrootValues, wanted] = jsrootComparable(got, want.flat);
      expect(jsrootValues, `${name} (jsroot)`).toEqual(wanted);
    } else if (want.vector) {
      const { values, offsets } = want.vector;
      expect(column.layout, name).toBe('vector');
      if (column.layout !== 'vector') return;
      expect(Array.from(column.offsets), name).toEqual(Array.from(offsets));
      expect(Array.from(column.values as ArrayLike<number | bigint>), name).toEqual(Array.from(values));
      const pairs = Array.from({ length: offsets.length - 1 }, (_, e) => jsrootComparable(Array.from(got[e] as ArrayLike<number>), Array.from(values).slice(offsets[e], offsets[e + 1])));
      expect(pairs.map((p) => p[0]), `${name} (jsroot)`).toEqual(pairs.map((p) => p[1]));
      expect((got as ArrayLike<number>[]).map((v) => v.length), `${name} (jsroot) lengths`).toEqual(Array.from({ length: offsets.length - 1 }, (_, e) => (offsets[e + 1] as number) - (offsets[e] as number)));
    }
  }
}

async function writeAllTypes(compression: RootCompressionSettings, entries: number, basketSizeBytes?: number) {
  const out = tmpFile(compression.algorithm);
  const file = await createRootFile(out, { compression });
  const branches: TreeBranchSpec[] = [
    ...ALL_TYPES.map((type): TreeBranchSpec => ({ name: `flat_${type}`, kind: 'number', type })),
    ...ALL_TYPES.map((type): TreeBranchSpec => ({ name: `vec_${type}`, kind: 'vector', type })),
    { name: 'vec_long', kind: 'vector', type: 'int64', elementTypeName: 'long' },
    { name: 'vec_ulong', kind: 'vector', type: 'uint64', elementTypeName: 'unsigned long' },
    { name: 'label', kind: 'string' },
  ];
  const tree = file.addTree({ name: 'events', title: 'all types', branches, basketSizeBytes });
  const expected: Parameters<typeof expectBranches>[1] = {};
  const batch: Record<string, unknown> = {};
  for (const type of ALL_TYPES) {
    batch[`flat_${type}`] = typed(type, valuesOf(type, entries));
    expected[`flat_${type}`] = { flat: batch[`flat_${type}`] as ArrayLike<number | bigint> };
    batch[`vec_${type}`] = jagged(type, entries);
    expected[`vec_${type}`] = { vector: batch[`vec_${type}`] as { values: ArrayLike<number>; offsets: Int32Array } };
  }
  batch.vec_long = jagged('int64', entries);
  batch.vec_ulong = jagged('uint64', entries);
  expected.vec_long = { vector: batch.vec_long as { values: ArrayLike<bigint>; offsets: Int32Array } };
  expected.vec_ulong = { vector: batch.vec_ulong as { values: ArrayLike<bigint>; offsets: Int32Array } };
  const strings = Array.from({ length: entries }, (_, i) => (i % 4 === 0 ? '' : i % 4 === 1 ? `ev-${i}` : i % 4 === 2 ? `μτ→${'x'.repeat(i % 300)}` : 'é'.repeat(200)));
  batch.label = strings;
  expected.label = { strings };
  // Two batches, split unevenly, to cross basket boundaries inside a batch.
  const cut = Math.floor(entries / 3);
  const slice = (from: number, to: number) =>
    Object.fromEntries(
      Object.entries(batch).map(([name, column]) => {
        if (Array.isArray(column)) return [name, column.slice(from, to)];
        if ('offsets' in (column as object)) {
          const { values, offsets } = column as { values: ArrayLike<number>; offsets: Int32Array };
          return [name, { values, offsets: offsets.subarray(from, to + 1) }];
        }
        return [name, (column as Int32Array).subarray(from, to)];
      }),
    );
  tree.appendColumns(slice(0, cut));
  tree.appendColumns(slice(cut, entries));
  file.close();
  return { out, expected, branches };
}

describe('TTree writer', () => {
  for (const compression of [{ algorithm: 'zlib', level: 6 }, { algorithm: 'lz4' }, { algorithm: 'zstd' }, { algorithm: 'none' }] as RootCompressionSettings[]) {
    it(`writes every number type as flat and vector<T> branches, empty vectors and strings, read back identically by jsroot and the reader (${compression.algorithm})`, async () => {
      const { out, expected, branches } = await writeAllTypes(compression, 1200, 700);
      const file = await openRootFile(out);
      try {
        const tree = await file.getTree('events');
        expect(tree.entries).toBe(1200);
        for (const spec of branches) {
          const branch = tree.getBranch(spec.name);
          expect(branch.baskets.length, spec.name).toBeGreaterThan(1);
        }
        expect(tree.getBranch('vec_float32').typeName).toBe('vector<float>');
        expect(tree.getBranch('vec_ulong').typeName).toBe('vector<unsigned long>');
        expect(tree.getBranch('vec_uint64').typeName).toBe('vector<ULong64_t>');
        expect(tree.getBranch('flat_uint32').typeName).toBe('unsigned int');
        await expectBranches(tree, expected);
      } finally {
        await file.close();
      }
      // The first basket of a branch carries the algorithm's ROOT header (or is stored raw).
      const bytes = fs.readFileSync(out);
      const layout = await layoutOf(out);
      expect(layout.compression).toBe({ zlib: 106, lz4: 404, zstd: 505, none: 0 }[compression.algorithm]);
      const magic = { zlib: 'ZL', lz4: 'L4', zstd: 'ZS', none: null }[compression.algorithm];
      const file2 = await openRootFile(out);
      const basket = (await file2.getTree('events')).getBranch('flat_float64').baskets[0] as { seek: number };
      await file2.close();
      const keyBytes = bytes.readUInt16BE(basket.seek + 14);
      if (magic) expect(bytes.subarray(basket.seek + keyBytes, basket.seek + keyBytes + 2).toString('latin1')).toBe(magic);
      else expect(bytes.readInt32BE(basket.seek) - keyBytes).toBe(bytes.readInt32BE(basket.seek + 6));
    });
  }

  it('writes a correct file skeleton: header, keys list, StreamerInfo record and the free segment after the end', async () => {
    const { out } = await writeAllTypes({ algorithm: 'zlib' }, 50);
    const bytes = fs.readFileSync(out);
    const layout = await layoutOf(out);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('root');
    expect(layout.version).toBe(63202);
    expect(layout.end).toBe(bytes.length);
    expect(layout.keys.map((k) => [k.className, k.name, k.cycle])).toEqual([['TTree', 'events', 1], ['TList', 'StreamerInfo', 1]]);
    const info = layout.keys[1] as (typeof layout.keys)[number];
    expect([info.seek, info.totalBytes]).toEqual([layout.seekInfo, layout.nbytesInfo]);
    // Free segments: the last record, one TFree from the end of the file to 2 GB.
    expect(layout.seekFree + layout.nbytesFree).toBe(bytes.length);
    const freeKeyBytes = bytes.readUInt16BE(layout.seekFree + 14);
    const free = layout.seekFree + freeKeyBytes;
    expect([bytes.readInt16BE(free), bytes.readInt32BE(free + 2), bytes.readInt32BE(free + 6)]).toEqual([1, bytes.length, 2_000_000_000]);
    // The top directory (at byte 100) points at its keys list, which lists the tree's key.
    const directory = 100 + bytes.readUInt16BE(100 + 14);
    const nameBytes = 1 + (bytes[directory] as number);
    const seekKeys = bytes.readInt32BE(directory + nameBytes + 1 + 2 + 4 + 4 + 4 + 4 + 4 + 4);
    const keysKeyBytes = bytes.readUInt16BE(seekKeys + 14);
    expect(bytes.readInt32BE(seekKeys + keysKeyBytes)).toBe(1);
    expect(bytes.readInt32BE(seekKeys + keysKeyBytes + 4 + 18)).toBe(layout.keys[0]?.seek);
  });

  it.runIf(hasFixture('physlite/PHYSLITE_example.root'))('writes ROOT’s own streamer infos: every class also in the PHYSLITE fixture is identical there', async () => {
    const { out } = await writeAllTypes({ algorithm: 'zlib' }, 20);
    const ours = await layoutOf(out);
    const theirs = await layoutOf(fixturePath('physlite/PHYSLITE_example.root'));
    const names = ours.streamerInfos.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['TTree', 'TBranch', 'TBranchElement', 'TLeafElement', 'TLeafF', 'TLeafD', 'TLeafO', 'TLeafC', 'vector<float>', 'vector<unsigned long>', 'vector<Long64_t>', 'vector<bool>']));
    let compared = 0;
    for (const info of ours.streamerInfos) {
      const reference = theirs.streamerInfos.find((r) => r.name === info.name);
      if (!reference) continue;
      expect(info, info.name).toEqual(reference);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(20);
    // Classes the PHYSLITE file lacks (TLeafS/D/C/O, vector<bool>, vector<long>, …) against other ROOT-written files; member comments (titles) and in-memory sizes (fSize: pointer width of
    // the writing machine) change between ROOT builds, the on-disk layout does not.
    const layoutOnly = (info: (typeof ours.streamerInfos)[number]) => ({ ...info, elements: info.elements.map(({ title: _title, size: _size, ...rest }) => rest) });
    const others = ['root-samples/uproot-sample-6.10.05-lz4.root', 'root-samples/uproot-HZZ-objects.root', 'root-samples/uproot-issue38a.root', 'root-samples/uproot-Zmumu-zstd.root'];
    const seen = new Set<string>();
    for (const other of others.filter((f) => hasFixture(f))) {
      for (const reference of (await layoutOf(fixturePath(other))).streamerInfos) {
        // Same class, version and checksum (ROOT's fingerprint of the layout): the members must be the same too.
        const info = ours.streamerInfos.find((i) => i.name === reference.name && i.version === reference.version && i.checksum === reference.checksum);
        if (!info) continue;
        expect(layoutOnly(info), `${reference.name} in ${other}`).toEqual(layoutOnly(reference));
        seen.add(info.name);
      }
    }
    if (others.every((f) => hasFixture(f))) expect([...seen]).toEqual(expect.arrayContaining(['TLeafS', 'TLeafD', 'TLeafC', 'TLeafO', 'vector<bool>', 'vector<double>', 'vector<short>']));
    // Every info of the table appears as written.
    for (const [name, spec] of Object.entries(ROOT_STREAMER_INFOS)) {
      const info = ours.streamerInfos.find((i) => i.name === name);
      if (info) expect([info.version, info.checksum, info.elements.length], name).toEqual([spec.version, spec.checksum, spec.elements.length]);
    }
  });

  it('switches to 64-bit seeks past 2 GB (keys, directory, free list, header), read back by jsroot and the reader', async () => {
    const out = tmpFile('big');
    // A 2.1 GB hole before the first key: sparse on disk, but every key lies past ROOT's kStartBigFile.
    const file = await createRootFile(out, { reserveBytes: 2_100_000_000 });
    const tree = file.addTree({ name: 'big', branches: [{ name: 'x', kind: 'number', type: 'float64' }, { name: 'v', kind: 'vector', type: 'int32' }], basketSizeBytes: 1000 });
    const n = 5000;
    const v = { values: Int32Array.from({ length: 2 * n }, (_, i) => i - n), offsets: Int32Array.from({ length: n + 1 }, (_, i) => 2 * i) };
    tree.appendColumns({ x: Float64Array.from({ length: n }, (_, i) => i / 3), v });
    file.close();
    const layout = await layoutOf(out);
    expect(layout.version).toBe(1_063_202);
    expect(layout.keys.every((k) => k.seek > 2_000_000_000)).toBe(true);
    const handle = fs.openSync(out, 'r');
    try {
      const read = (position: number, length: number) => {
        const bytes = Buffer.alloc(length);
        fs.readSync(handle, bytes, 0, length, position);
        return bytes;
      };
      expect(read(0, 4).toString('latin1')).toBe('root');
      expect(Number(read(12, 8).readBigInt64BE())).toBe(layout.end);
      const freeKey = read(layout.seekFree, 64);
      expect(freeKey.readInt16BE(4)).toBe(1004);
      const free = read(layout.seekFree + freeKey.readUInt16BE(14), 18);
      expect([free.readInt16BE(0), Number(free.readBigInt64BE(2)), Number(free.readBigInt64BE(10))]).toEqual([1001, layout.end, 3_000_000_000]);
      const directory = read(100, 200);
      const record = directory.readUInt16BE(14) + 1 + (directory[directory.readUInt16BE(14)] as number) + 1;
      expect(directory.readInt16BE(record)).toBe(1005);
    } finally {
      fs.closeSync(handle);
    }
    const root = await openRootFile(out);
    try {
      await expectBranches(await root.getTree('big'), { x: { flat: Float64Array.from({ length: n }, (_, i) => i / 3) }, v: { vector: v } });
    } finally {
      await root.close();
    }
  });

  it('holds several trees in one file, filled interleaved, each read back on its own', async () => {
    const out = tmpFile('trees');
    const file = await createRootFile(out);
    const a = file.addTree({ name: 'train', branches: [{ name: 'x', kind: 'number', type: 'float64' }], basketSizeBytes: 256 });
    const b = file.addTree({ name: 'test', title: 'test set', branches: [{ name: 'y', kind: 'vector', type: 'int32' }, { name: 'id', kind: 'number', type: 'int32' }], basketSizeBytes: 256 });
    const c = file.addTree({ name: 'empty', branches: [{ name: 'z', kind: 'number', type: 'float32' }, { name: 'w', kind: 'vector', type: 'float32' }] });
    const xs: number[] = [];
    const ys = jagged('int32', 900);
    for (let k = 0; k < 3; k++) {
      const x = Float64Array.from({ length: 500 }, (_, i) => (k * 500 + i) / 7);
      xs.push(...x);
      a.appendColumns({ x });
      b.appendColumns({ y: { values: ys.values, offsets: ys.offsets.subarray(300 * k, 300 * k + 301) }, id: Int32Array.from({ length: 300 }, (_, i) => 300 * k + i) });
    }
    expect(() => file.addTree({ name: 'train', branches: [{ name: 'q', kind: 'string' }] })).toThrow(/already has a tree "train"/);
    file.close();
    expect(c.entries).toBe(0);
    const root = await openRootFile(out);
    try {
      expect(root.trees.map((t) => t.name)).toEqual(['train', 'test', 'empty']);
      await expectBranches(await root.getTree('train'), { x: { flat: Float64Array.from(xs) } });
      await expectBranches(await root.getTree('test'), { y: { vector: ys }, id: { flat: Int32Array.from({ length: 900 }, (_, i) => i) } });
      const empty = await root.getTree('empty');
      expect(empty.entries).toBe(0);
      expect((await empty.readBranch('w')).values).toHaveLength(0);
    } finally {
      await root.close();
    }
  });

  it('writes baskets while it is being filled (bounded memory), and a large entry count reads back exactly', async () => {
    const out = tmpFile('large');
    const file = await createRootFile(out, { compression: { algorithm: 'zlib', level: 1 } });
    const tree = file.addTree({ name: 'big', branches: [{ name: 'i', kind: 'number', type: 'int32' }, { name: 'v', kind: 'vector', type: 'float32' }], clusterEntries: 250_000 });
    const entries = 1_500_000;
    const batch = 100_000;
    let sizeWhileFilling = 0;
    for (let start = 0; start < entries; start += batch) {
      const offsets = Int32Array.from({ length: batch + 1 }, (_, e) => e * 2);
      const values = Float32Array.from({ length: 2 * batch }, (_, k) => start + k / 2);
      tree.appendColumns({ i: Int32Array.from({ length: batch }, (_, e) => start + e), v: { values, offsets } });
      // Everything but the baskets being filled is already on disk.
      if (start === 10 * batch) sizeWhileFilling = fs.statSync(out).size;
    }
    file.close();
    // Everything but the baskets being filled was on disk after 11 of 15 batches.
    expect(sizeWhileFilling).toBeGreaterThan(0.9 * (11 / 15) * fs.statSync(out).size);
    const root = await openRootFile(out);
    try {
      const t = await root.getTree('big');
      expect(t.entries).toBe(entries);
      const i = await t.readBranch('i');
      const v = await t.readBranch('v');
      expect(i.values.every((x, k) => x === k)).toBe(true);
      expect(v.layout === 'vector' && v.offsets[entries]).toBe(2 * entries);
      const baskets = t.getBranch('v').baskets;
      expect(baskets.length).toBeGreaterThan(500);
      // Cluster boundaries: every branch starts a basket at each multiple of 250 000 entries.
      for (const name of ['i', 'v']) {
        const starts = new Set(t.getBranch(name).baskets.map((b) => b.firstEntry));
        for (let k = 0; k < entries; k += 250_000) expect(starts.has(k), `${name} @${k}`).toBe(true);
      }
      const reference = await t.readWithJsrootEventLoop(['i']);
      expect((reference.i as number[]).every((x, k) => x === k)).toBe(true);
    } finally {
      await root.close();
    }
  });

  it('rejects a bad batch with a typed error naming branch and row, and keeps the file consistent', async () => {
    const out = tmpFile('errors');
    const file = await createRootFile(out);
    const tree = file.addTree({ name: 't', branches: [{ name: 'n', kind: 'number', type: 'uint8' }, { name: 'v', kind: 'vector', type: 'float64' }, { name: 's', kind: 'string' }] });
    const good = { n: Uint8Array.of(1, 2), v: { values: Float64Array.of(1, 2, 3), offsets: Int32Array.of(0, 1, 3) }, s: ['a', 'b'] };
    const attempts: [Record<string, unknown>, RegExp][] = [
      [{ ...good, n: [1, 256] }, /n row 1: 256 is not a valid uint8 value/],
      [{ ...good, n: [1, 2.5] }, /n row 1: 2.5 is not a valid uint8/],
      [{ ...good, v: { values: Float64Array.of(1), offsets: Int32Array.of(0, 1, 3) } }, /"v": the last offset is 3 but there are only 1 values/],
      [{ ...good, v: { values: Float64Array.of(1, 2), offsets: Int32Array.of(0, 2, 1) } }, /"v" row 1: offsets go from 2 to 1/],
      [{ ...good, s: ['a'] }, /branch "s" has 1 entries in this batch, "n" has 2/],
      [{ n: good.n, v: good.v }, /no column for branch "s"/],
      [{ ...good, extra: [1, 2] }, /has no branch "extra"/],
      [{ ...good, s: ['a', 'b\0c'] }, /"s" row 1: the string holds a NUL/],
      [{ ...good, v: [1, 2] }, /"v" is a vector branch; give \{ values, offsets \}/],
    ];
    for (const [batch, message] of attempts) {
      let error: unknown;
      try {
        tree.appendColumns(batch as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('BAD_REQUEST');
      expect((error as AppError).message).toMatch(message);
    }
    tree.appendColumns(good);
    expect(() => file.addTree({ name: 'bad/name', branches: [{ name: 'x', kind: 'string' }] })).toThrow(/without "\/"/);
    expect(() => file.addTree({ name: 'dup', branches: [{ name: 'x', kind: 'string' }, { name: 'x', kind: 'string' }] })).toThrow(/branch "x" is defined twice/);
    expect(() => file.addTree({ name: 'bad-vector', branches: [{ name: 'x', kind: 'vector', type: 'int32', elementTypeName: 'unsigned long' }] })).toThrow(/"unsigned long" is not a C\+\+ spelling of int32/);
    file.close();
    const root = await openRootFile(out);
    const t = await root.getTree('t');
    expect(t.entries).toBe(2);
    await expectBranches(t, { n: { flat: good.n }, v: { vector: good.v }, s: { strings: good.s } });
    await root.close();
    await expect(createRootFile(path.join(tmpRoot, 'missing-folder', 'x.root'))).rejects.toThrow(/Cannot create .*missing-folder/);
    await expect(createRootFile(tmpFile(), { compression: { algorithm: 'zlib', level: 12 } })).rejects.toThrow(/level 12 is not valid for zlib/);
  });

  it('takes Arrow record batches: numbers, booleans, List<T> and strings, refusing nulls and unsupported types', async () => {
    const table = new Table({
      f: vectorFromArray(Float32Array.of(1.5, -2, 3)),
      big: vectorFromArray(BigInt64Array.of(-(2n ** 62n), 0n, 7n)),
      ok: vectorFromArray([true, false, true], new Bool()),
      name: vectorFromArray(['a', '', 'ccc'], new Utf8()),
      jets: vectorFromArray([[1, 2], [], [3]], new List(new Field('item', new Float32(), false))),
    });
    const branches = treeBranchesFromArrowSchema(table.schema);
    expect(branches.map((b) => [b.name, b.kind, 'type' in b ? b.type : null])).toEqual([['f', 'number', 'float32'], ['big', 'number', 'int64'], ['ok', 'number', 'bool'], ['name', 'string', null], ['jets', 'vector', 'float32']]);
    const out = await createInMemoryRootFile('arrow.root');
    const tree = out.addTree({ name: 'arrow', branches });
    for (const batch of table.batches) tree.appendRecordBatch(batch);
    out.close();
    const target = tmpFile('arrow');
    fs.writeFileSync(target, out.bytes());
    const root = await openRootFile(target);
    await expectBranches(await root.getTree('arrow'), {
      f: { flat: Float32Array.of(1.5, -2, 3) },
      big: { flat: BigInt64Array.of(-(2n ** 62n), 0n, 7n) },
      ok: { flat: Uint8Array.of(1, 0, 1) },
      name: { strings: ['a', '', 'ccc'] },
      jets: { vector: { values: Float32Array.of(1, 2, 3), offsets: Int32Array.of(0, 2, 2, 3) } },
    });
    await root.close();
    const withNull = new Table({ x: vectorFromArray([1, null, 3], new Float32()) });
    const nullTree = (await createInMemoryRootFile('n.root')).addTree({ name: 'n', branches: treeBranchesFromArrowSchema(withNull.schema) });
    expect(() => nullTree.appendRecordBatch(withNull.batches[0] as RecordBatch)).toThrow(/column "x" row 1 is null/);
    const struct = new Schema([new Field('s', new Struct([new Field('a', new Int64())]))]);
    expect(() => treeBranchesFromArrowSchema(struct)).toThrow(/column "s" has Arrow type Struct/);
  });

  it('gives the same bytes for the same input, with the given date on every key', async () => {
    const write = async () => {
      const out = await createInMemoryRootFile('same.root', { modifiedAt: new Date('2026-03-04T05:06:07Z') });
      out.addTree({ name: 't', branches: [{ name: 'x', kind: 'number', type: 'int32' }] }).appendColumns({ x: Int32Array.of(1, 2, 3) });
      out.close();
      return out.bytes();
    };
    const [a, b] = [await write(), await write()];
    expect(Buffer.compare(a, b)).toBe(0);
    const target = tmpFile('dated');
    fs.writeFileSync(target, a);
    const datime = Buffer.from(a).readUInt32BE(100 + 10);
    expect(datime).toBe(((2026 - 1995) << 26) | (3 << 22) | (4 << 17) | (5 << 12) | (6 << 6) | 7);
  });
});
