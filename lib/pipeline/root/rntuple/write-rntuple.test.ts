import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '@/lib/shared/app-error';
import { openLocalByteSource } from '../byte-source';
import { readRootFileLayout } from '../jsroot-adapter';
import { openRootFile } from '../root-file';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { PIPELINE_BENCH_BRANCHES } from '@/bench/pipeline';
import { PHYSLITE_SHAPED_FIELDS, physliteShapedClusters } from './physlite-shaped-clusters';
import { readCompressedBlob } from './read-rntuple-descriptor';
import { type RNTupleClusterInput, type RNTupleFieldSpec, writeRNTuple } from './write-rntuple';
import { loadXxh3 } from '../codecs/xxhash3';
import { rootChunk } from '@/tests/support/reference-compressors';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hep-arena-rntuple-write-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function lcg(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const FIELDS: RNTupleFieldSpec[] = [
  { name: 'f32', type: 'float' },
  { name: 'f64', type: 'double' },
  { name: 'i8', type: 'std::int8_t' },
  { name: 'u8', type: 'std::uint8_t' },
  { name: 'i16', type: 'std::int16_t' },
  { name: 'u16', type: 'std::uint16_t' },
  { name: 'i32', type: 'std::int32_t' },
  { name: 'u32', type: 'std::uint32_t' },
  { name: 'i64', type: 'std::int64_t' },
  { name: 'u64', type: 'std::uint64_t' },
  { name: 'flag', type: 'bool' },
  { name: 'Jets:pt', type: 'std::vector<float>' },
  { name: 'ids', type: 'std::vector<std::int64_t>' },
  { name: 'hits', type: 'std::vector<std::int16_t>' },
];

/** Random clusters of every writable type, with empty and long vectors; returns them for comparison too. */
function randomClusters(seed: number, sizes: number[]): RNTupleClusterInput[] {
  const next = lcg(seed);
  const vector = <T extends Float32Array | BigInt64Array | Int16Array>(n: number, make: (count: number) => T, fill: (values: T, k: number) => void) => {
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i] as number) + (next() < 0.2 ? 0 : Math.floor(next() * 12));
    const values = make(offsets[n] as number);
    for (let k = 0; k < values.length; k++) fill(values, k);
    return { offsets, values };
  };
  return sizes.map((n) => ({
    entries: n,
    columns: {
      f32: Float32Array.from({ length: n }, () => Math.fround((next() - 0.5) * 1e6)),
      f64: Float64Array.from({ length: n }, () => (next() - 0.5) * 1e300),
      i8: Int8Array.from({ length: n }, () => Math.floor(next() * 256) - 128),
      u8: Uint8Array.from({ length: n }, () => Math.floor(next() * 256)),
      i16: Int16Array.from({ length: n }, () => Math.floor(next() * 65536) - 32768),
      u16: Uint16Array.from({ length: n }, () => Math.floor(next() * 65536)),
      i32: Int32Array.from({ length: n }, () => (Math.floor(next() * 2 ** 32) | 0)),
      u32: Uint32Array.from({ length: n }, () => Math.floor(next() * 2 ** 32)),
      i64: BigInt64Array.from({ length: n }, () => BigInt.asIntN(64, BigInt(Math.floor(next() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(next() * 2 ** 32)))),
      u64: BigUint64Array.from({ length: n }, () => BigInt(Math.floor(next() * 2 ** 32)) * 2n ** 32n + BigInt(Math.floor(next() * 2 ** 32))),
      flag: Uint8Array.from({ length: n }, () => (next() < 0.3 ? 1 : 0)),
      'Jets:pt': vector(n, (c) => new Float32Array(c), (v, k) => (v[k] = Math.fround(next() * 1e5))),
      ids: vector(n, (c) => new BigInt64Array(c), (v, k) => (v[k] = BigInt(Math.floor((next() - 0.5) * 2 ** 50)))),
      hits: vector(n, (c) => new Int16Array(c), (v, k) => (v[k] = Math.floor((next() - 0.5) * 60000))),
    },
  }));
}

/** The values of one field, entry by entry, as plain numbers/bigints/arrays, from the written clusters. */
function expectedColumn(clusters: RNTupleClusterInput[], name: string): unknown[] {
  return clusters.flatMap((c): unknown[] => {
    const given = c.columns[name];
    if (!given) throw new Error(name);
    if (ArrayBuffer.isView(given)) return Array.from(given as ArrayLike<number | bigint>, (v) => (name === 'flag' ? v === 1 : v));
    return Array.from({ length: c.entries }, (_, i) => Array.from(given.values.subarray(given.offsets[i], given.offsets[i + 1]) as ArrayLike<number | bigint>));
  });
}

async function readBack(file: string, name = 'events', jobs = 1, range: { batchEntries?: number; entryStart?: number; entryStop?: number } = {}) {
  const root = await openRootFile(file);
  const ntuple = await root.getRNTuple(name);
  const columns: Record<string, unknown[]> = {};
  for await (const batch of ntuple.readBatches({ jobs, ...range })) {
    for (const field of batch.schema.fields) {
      const vector = batch.getChild(field.name);
      for (let i = 0; i < batch.numRows; i++) {
        const v = vector?.get(i) as unknown;
        (columns[field.name] ??= []).push(v && typeof v === 'object' && 'toArray' in v ? Array.from((v as { toArray(): ArrayLike<unknown> }).toArray()) : v);
      }
    }
  }
  return { root, ntuple, columns };
}

describe('writeRNTuple', () => {
  it.each([
    ['split encodings, ZLIB, page checksums, one cluster group', { encoding: 'split', compression: { algorithm: 'zlib', level: 1 }, pageChecksums: true }],
    ['plain encodings, uncompressed, no page checksums, a group per 2 clusters', { encoding: 'plain', compression: { algorithm: 'none' }, pageChecksums: false, clustersPerGroup: 2 }],
    ['split encodings, ZLIB level 9, a group per cluster', { encoding: 'split', compression: { algorithm: 'zlib', level: 9 }, clustersPerGroup: 1 }],
    ['split encodings, LZ4 (with its XXH64), page checksums', { encoding: 'split', compression: { algorithm: 'lz4', level: 4 }, pageChecksums: true }],
    ['split encodings, ZSTD, page checksums', { encoding: 'split', compression: { algorithm: 'zstd', level: 5 }, pageChecksums: true }],
  ] as const)('writes every type exactly as given and reads it back: %s', async (_label, options) => {
    const clusters = randomClusters(7, [1, 1000, 2345, 17]);
    const file = path.join(tmp, `types-${_label.replace(/\W+/g, '-')}.root`);
    const written = await writeRNTuple({ path: file, name: 'events', fields: FIELDS, clusters, pageBytes: 4096, ...options });
    expect(written).toMatchObject({ entries: 3363, clusters: 4, clusterGroups: 'clustersPerGroup' in options ? Math.ceil(4 / options.clustersPerGroup) : 1 });
    const { root, ntuple, columns } = await readBack(file);
    expect(ntuple.entries).toBe(3363);
    expect(ntuple.columns.map((c) => c.name)).toEqual(FIELDS.map((f) => f.name.replace(':', '.')));
    for (const field of FIELDS) expect(columns[field.name.replace(':', '.')], field.name).toEqual(expectedColumn(clusters, field.name));
    // Pages really are cut at pageBytes: a 2345-entry float column needs 3 pages of 4 KiB.
    expect(ntuple.descriptor.clusters[2]?.columns[0]?.pages.length).toBe(3);
    await root.close();
  });

  it('writes LZMA pages and envelopes (XZ chunks made by Debian xz, as ROOT writes them) that read back exactly on 1 and 2 threads', async () => {
    // rootChunk runs xz with ROOT's settings (CRC32 check); without xz it prints why and returns null (CI installs it).
    const lzma = (payload: Uint8Array) => rootChunk('lzma', payload);
    if (!(lzma(new Uint8Array(64)) instanceof Uint8Array)) return;
    const clusters = randomClusters(11, [1, 700, 1234]);
    const file = path.join(tmp, 'lzma.root');
    await writeRNTuple({ path: file, name: 'events', fields: FIELDS, clusters, pageBytes: 4096, externalCompression: { settingsCode: 206, compress: (payload) => lzma(payload) as Uint8Array } });
    const bytes = fs.readFileSync(file);
    const root = await openRootFile(file);
    const ntuple = await root.getRNTuple('events');
    const ranges = ntuple.descriptor.clusters.flatMap((c) => c.columns);
    expect(new Set(ranges.map((r) => r.compression))).toEqual(new Set([206]));
    const pages = ranges.flatMap((r) => r.pages);
    const isXz = (offset: number) => bytes[offset] === 0x58 && bytes[offset + 1] === 0x5a;
    expect(pages.filter((p) => isXz(p.locator.offset)).length).toBeGreaterThan(pages.length / 2);
    // The header and footer envelopes are LZMA too (the anchor's sizes say compressed).
    expect(isXz(ntuple.descriptor.anchor.header.offset) && ntuple.descriptor.anchor.header.size < ntuple.descriptor.anchor.header.length).toBe(true);
    await root.close();
    for (const jobs of [1, 2]) {
      const read = await readBack(file, 'events', jobs);
      for (const field of FIELDS) expect(read.columns[field.name.replace(':', '.')], `${field.name}, ${jobs} thread(s)`).toEqual(expectedColumn(clusters, field.name));
      await read.root.close();
    }
  });

  it('writes an RNTuple inside nested TDirectories that jsroot and the reader find by its full path', async () => {
    const file = path.join(tmp, 'directories.root');
    const nested = randomClusters(5, [40, 3]);
    await writeRNTuple({ path: file, name: 'events', directory: 'run3/physlite', fields: FIELDS, clusters: nested });
    const root = await openRootFile(file);
    expect(root.keys.filter((k) => k.className === 'TDirectory').map((k) => k.path)).toEqual(['run3', 'run3/physlite']);
    expect(root.rntuples.map((r) => r.path)).toEqual(['run3/physlite/events']);
    await expect(root.getRNTuple('events')).rejects.toThrow(/RNTuple "events" not found in directories.root; RNTuples: run3\/physlite\/events; closest: run3\/physlite\/events/);
    const ntuple = await root.getTable('run3/physlite/events');
    expect(ntuple.kind).toBe('RNTuple');
    const table = await ntuple.readTable({ branches: 'Jets.pt,u64', jobs: 2 });
    expect(table.getChild('Jets.pt')?.toArray().map((v: { toArray(): Float32Array } | null) => Array.from(v?.toArray() ?? []))).toEqual(expectedColumn(nested, 'Jets:pt'));
    // jsroot opens the directory and reads the RNTuple with its own event loop: the same values.
    const reference = await root.readRNTupleWithJsrootEventLoop('run3/physlite/events', ['f32', 'i32']);
    expect(reference.f32).toEqual(expectedColumn(nested, 'f32'));
    expect(reference.i32).toEqual(expectedColumn(nested, 'i32'));
    await root.close();
    const layout = await (async () => {
      const source = await openLocalByteSource(file);
      try {
        return await readRootFileLayout(source);
      } finally {
        await source.close();
      }
    })();
    // The top directory lists the subdirectory, not what lies inside it.
    expect(layout.keys.filter((k) => k.className !== 'TList').map((k) => [k.className, k.name])).toEqual([['TDirectory', 'run3']]);
  });

  it('reads the same values on 1, 2 and 3 worker threads, in file order', async () => {
    const clusters = randomClusters(21, [300, 1, 999, 50, 400, 7]);
    const file = path.join(tmp, 'jobs.root');
    await writeRNTuple({ path: file, name: 'events', fields: FIELDS, clusters, clustersPerGroup: 4 });
    // A read stopped after its first batch hands its workers back; the reads after it get their own results.
    const early = await openRootFile(file);
    const earlyNtuple = await early.getRNTuple('events');
    for await (const batch of earlyNtuple.readBatches({ jobs: 3 })) {
      expect(batch.numRows).toBe(300);
      break;
    }
    await early.close();
    const reads = [];
    for (const jobs of [1, 2, 3]) {
      const { root, columns } = await readBack(file, 'events', jobs);
      reads.push(columns);
      await root.close();
    }
    expect(reads[1]).toEqual(reads[0]);
    expect(reads[2]).toEqual(reads[0]);
    expect(reads[0]?.['Jets.pt']).toEqual(expectedColumn(clusters, 'Jets:pt'));
    // Entry ranges across cluster boundaries, in batches that cut clusters: the same values as the whole read.
    for (const [jobs, batchEntries, entryStart, entryStop] of [[1, 97, 250, 1400], [2, 1, 299, 302], [3, 1000, 0, 1757], [2, 64, 1749, 1757]] as const) {
      const { root, columns } = await readBack(file, 'events', jobs, { batchEntries, entryStart, entryStop });
      for (const [name, values] of Object.entries(reads[0] ?? {})) expect(columns[name], `${name} [${entryStart}, ${entryStop})`).toEqual(values.slice(entryStart, entryStop));
      await root.close();
    }
  });

  it('writes a file jsroot opens and whose every field jsroot’s RNTuple event loop reads with the same values', async () => {
    const clusters = randomClusters(11, [500, 700]);
    const file = path.join(tmp, 'jsroot.root');
    await writeRNTuple({ path: file, name: 'events', fields: FIELDS, clusters });
    const { root, columns } = await readBack(file);
    const names = FIELDS.map((f) => f.name);
    const reference = await root.readRNTupleWithJsrootEventLoop('events', names);
    for (const name of names) {
      // jsroot returns 64-bit integers as numbers, Bit columns as booleans.
      const expected = expectedColumn(clusters, name).map((v) => (typeof v === 'bigint' ? Number(v) : Array.isArray(v) ? v.map((x) => (typeof x === 'bigint' ? Number(x) : x)) : v));
      expect((reference[name] as unknown[]).map((v) => (Array.isArray(v) ? v : v)), name).toEqual(expected);
      expect(columns[name.replace(':', '.')]?.length).toBe(1200);
    }
    await root.close();
  });

  it('stores checksums that an independent XXH3 (the reader’s, checked against python3-xxhash vectors) verifies: anchor, envelopes, pages', async () => {
    const file = path.join(tmp, 'checksums.root');
    await writeRNTuple({ path: file, name: 'events', fields: FIELDS.slice(0, 3), clusters: randomClusters(3, [100]) });
    const bytes = fs.readFileSync(file);
    const xxh3 = await loadXxh3();
    const { root, ntuple } = await readBack(file);
    const { header, footer } = ntuple.descriptor.anchor;
    const pageList = ntuple.descriptor.clusterGroups[0]?.pageList;
    for (const link of [header, footer, pageList]) {
      if (!link) throw new Error('no page list');
      // Stored compressed when that is smaller; the checksum covers the uncompressed envelope but its last 8 bytes.
      const envelope = await readCompressedBlob(root.source, link.offset, link.size, link.length, { file: 'checksums.root' });
      expect(envelope.length).toBe(link.length);
      expect(Buffer.from(envelope).readBigUInt64LE(envelope.length - 8)).toBe(xxh3(envelope.subarray(0, envelope.length - 8)));
    }
    const anchorKey = root.rntuples[0];
    expect(anchorKey?.name).toBe('events');
    for (const cluster of ntuple.descriptor.clusters) {
      for (const column of cluster.columns) {
        for (const page of column.pages) {
          expect(page.hasChecksum).toBe(true);
          const stored = bytes.readBigUInt64LE(page.locator.offset + page.locator.size);
          expect(stored).toBe(xxh3(bytes.subarray(page.locator.offset, page.locator.offset + page.locator.size)));
        }
      }
    }
    await root.close();
  });

  it('refuses bad input with a message naming the cluster and field, and leaves no file behind', async () => {
    const file = path.join(tmp, 'bad.root');
    const bad = async (fields: RNTupleFieldSpec[], clusters: RNTupleClusterInput[]) => {
      try {
        await writeRNTuple({ path: file, name: 'events', fields, clusters });
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
        expect(fs.readdirSync(tmp).filter((f) => f.startsWith('bad.root'))).toEqual([]);
        return (error as AppError).message;
      }
      throw new Error('no error');
    };
    expect(await bad([{ name: 'a.b', type: 'float' }], [])).toMatch(/field name "a.b" .* may not/);
    expect(await bad([{ name: 'x', type: 'float' }], [{ entries: 3, columns: { x: new Float64Array(3) } }])).toMatch(/cluster 0, field "x" \(float\): expected a Float32Array, got a Float64Array/);
    expect(await bad([{ name: 'x', type: 'float' }], [{ entries: 3, columns: { x: new Float32Array(3) } }, { entries: 2, columns: { x: new Float32Array(3) } }])).toMatch(/cluster 1, field "x" \(float\): 3 values for 2 entries/);
    expect(await bad([{ name: 'v', type: 'std::vector<float>' }], [{ entries: 2, columns: { v: { offsets: new Int32Array([0, 2, 1]), values: new Float32Array(1) } } }])).toMatch(/offsets decrease at entry 1/);
  });

  it('writes PHYSLITE-shaped events of any size cluster by cluster, with the fixture’s lep-had field names and types', async () => {
    const file = path.join(tmp, 'physlite-shaped.root');
    const written = await writeRNTuple({ path: file, name: 'EventData', fields: PHYSLITE_SHAPED_FIELDS, clusters: physliteShapedClusters({ events: 5000, clusterEntries: 1500, seed: 5 }) });
    expect(written).toMatchObject({ entries: 5000, clusters: 4 });
    const root = await openRootFile(file);
    const ntuple = await root.getRNTuple('EventData');
    expect(ntuple.columns).toHaveLength(30);
    expect(ntuple.columns.map((c) => c.name)).toContain('AnalysisElectronsAuxDyn.pt');
    let rows = 0;
    for await (const batch of ntuple.readBatches({ jobs: 2 })) rows += batch.numRows;
    expect(rows).toBe(5000);
    await root.close();
  });

  it.runIf(hasFixture('root-samples/uproot-physlite-rntuple_v1-0-0-0.root'))('generates exactly the names and types the PHYSLITE RNTuple fixture has for the 30 benchmark fields', async () => {
    const root = await openRootFile(fixturePath('root-samples/uproot-physlite-rntuple_v1-0-0-0.root'));
    const fixture = await root.getRNTuple('EventData');
    const types = new Map(fixture.descriptor.fields.filter((f) => f.parentId === f.id).map((f) => [f.name, f.typeName]));
    for (const field of PHYSLITE_SHAPED_FIELDS) expect(types.get(field.name), field.name).toBe(field.type);
    expect(PHYSLITE_SHAPED_FIELDS.map((f) => f.name.replace(':', '.')).sort()).toEqual([...PIPELINE_BENCH_BRANCHES].sort());
    await root.close();
  });

  it.runIf(hasFixture('root-samples/test_int_5e4_rntuple_v1-0-0-0.root'))('describes the anchor class in the streamer info exactly as a ROOT-written file does', async () => {
    const file = path.join(tmp, 'streamer.root');
    await writeRNTuple({ path: file, name: 'events', fields: [{ name: 'x', type: 'float' }], clusters: [{ entries: 1, columns: { x: new Float32Array([1]) } }] });
    const layoutOf = async (location: string) => {
      const source = await openLocalByteSource(location);
      try {
        return await readRootFileLayout(source);
      } finally {
        await source.close();
      }
    };
    const ours = await layoutOf(file);
    const roots = await layoutOf(fixturePath('root-samples/test_int_5e4_rntuple_v1-0-0-0.root'));
    const anchorInfo = (layout: typeof ours) => layout.streamerInfos.find((i) => i.name === 'ROOT::RNTuple');
    expect(anchorInfo(ours)).toEqual(anchorInfo(roots));
    expect(anchorInfo(ours)).toMatchObject({ version: 2, checksum: 1268915189 });
    expect(ours.keys.filter((k) => k.className === 'ROOT::RNTuple').map((k) => [k.name, k.objectBytes])).toEqual([['events', 78]]);
  });
});
