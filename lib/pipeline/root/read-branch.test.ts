import { spawnSync } from 'node:child_process';
import zlib from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixturePath, hasFixture } from '@/tests/support/fixtures';
import { createMemoryByteSource } from './byte-source';
import { openRootFile, type RootTree } from './index';
import { readBranchColumn, type RootColumn } from './read-branch';
import { decodeBasket } from './read-basket';
import type { BasketLocation, RootBranchInfo } from './root-types';
import { xxhash64 } from './xxhash64';

const FIXTURE = 'physlite/PHYSLITE_example.root';
/**
 * Compresses with the reference command-line compressor (Debian packages zstd and lz4, which .ci/run and npm test
 * install), so the ZSTD and LZ4 baskets are made by the real tools at test time and nothing derived from the
 * fixture is stored in the repository. Outside CI a missing tool skips the test with a message.
 */
function compressWith(tool: 'zstd' | 'lz4', payload: Uint8Array): Uint8Array | null {
  const args = tool === 'zstd' ? ['-19', '-q', '-c'] : ['-9', '-q', '--no-frame-crc', '-c'];
  const run = spawnSync(tool, args, { input: payload, maxBuffer: 1 << 24 });
  if (run.error || run.status !== 0) {
    const message = `the ${tool} command-line tool is needed to make a reference ${tool.toUpperCase()} basket (apt-get install ${tool})`;
    if (process.env.CI) throw new Error(message);
    console.warn(`skipping: ${message}`);
    return null;
  }
  return new Uint8Array(run.stdout);
}

function tstring(s: string): number[] {
  return [s.length, ...new TextEncoder().encode(s)];
}

/**
 * A TKey + TBasket record as ROOT writes it: `body` is the stored payload (ROOT-framed compressed chunks, or the
 * payload itself when stored raw), `objectBytes` the uncompressed payload size, `dataBytes` where the entry data
 * ends (fLast − keylen). `bigFile` writes 64-bit seeks (key version > 1000).
 */
function basketRecord(body: Uint8Array, objectBytes: number, entries: number, dataBytes: number, entryBytes: number, bigFile = false): { record: Uint8Array; keyBytes: number } {
  const strings = [...tstring('TBasket'), ...tstring('AnalysisJetsAuxDyn.pt'), ...tstring('CollectionTree')];
  const keyBytes = 18 + (bigFile ? 16 : 8) + strings.length + 19;
  const record = new Uint8Array(keyBytes + body.length);
  const view = new DataView(record.buffer);
  view.setInt32(0, record.length);
  view.setInt16(4, bigFile ? 1004 : 4);
  view.setInt32(6, objectBytes);
  view.setUint32(10, 0x6a8e0000);
  view.setUint16(14, keyBytes);
  view.setInt16(16, 1);
  let p = 18 + (bigFile ? 16 : 8);
  record.set(strings, p);
  p += strings.length;
  view.setInt16(p, 3);
  view.setInt32(p + 2, 32000);
  view.setInt32(p + 6, entryBytes);
  view.setInt32(p + 10, entries);
  view.setInt32(p + 14, keyBytes + dataBytes);
  record[p + 18] = 0;
  record.set(body, keyBytes);
  return { record, keyBytes };
}

function rootChunk(magic: string, method: number, compressed: Uint8Array, uncompressedBytes: number, prefix: Uint8Array = new Uint8Array(0)): Uint8Array {
  const size = prefix.length + compressed.length;
  const header = Uint8Array.of(magic.charCodeAt(0), magic.charCodeAt(1), method, size & 255, (size >> 8) & 255, size >> 16, uncompressedBytes & 255, (uncompressedBytes >> 8) & 255, uncompressedBytes >> 16);
  return Uint8Array.from([...header, ...prefix, ...compressed]);
}

function zlibChunk(payload: Uint8Array): Uint8Array {
  return rootChunk('ZL', 8, zlib.deflateSync(payload), payload.length);
}

function lz4Chunk(block: Uint8Array, uncompressedBytes: number): Uint8Array {
  const checksum = new Uint8Array(8);
  new DataView(checksum.buffer).setBigUint64(0, xxhash64(block), false);
  return rootChunk('L4', 1, block, uncompressedBytes, checksum);
}

/** Lays basket records one after another in memory and returns the source with the branch index pointing at them. */
function layOut(template: RootBranchInfo, records: { record: Uint8Array; entries: number }[]) {
  const total = records.reduce((s, r) => s + r.record.length, 100);
  const bytes = new Uint8Array(total);
  const baskets: BasketLocation[] = [];
  let seek = 100;
  let firstEntry = 0;
  for (const { record, entries } of records) {
    bytes.set(record, seek);
    baskets.push({ seek, sizeBytes: record.length, firstEntry, entries });
    seek += record.length;
    firstEntry += entries;
  }
  return { source: createMemoryByteSource(bytes, 'rebasketed.root'), branch: { ...template, baskets } };
}

/** Entry payloads (vector header + elements) of a one-basket vector branch, sliced out of its real basket. */
function vectorEntries(payload: Uint8Array, starts: Int32Array, dataEnd: number): Uint8Array[] {
  return Array.from(starts, (start, i) => payload.slice(start, i + 1 < starts.length ? starts[i + 1] : dataEnd));
}

/** Payload of a vector basket: entries, then the entry-offset array (n+1 key-relative offsets, as ROOT writes). */
function vectorPayload(entries: Uint8Array[], keyBytes: number): { payload: Uint8Array; dataBytes: number } {
  const dataBytes = entries.reduce((s, e) => s + e.length, 0);
  const payload = new Uint8Array(dataBytes + 4 + 4 * (entries.length + 1));
  const view = new DataView(payload.buffer);
  let p = 0;
  view.setInt32(dataBytes, entries.length + 1);
  entries.forEach((entry, i) => {
    payload.set(entry, p);
    view.setInt32(dataBytes + 4 + 4 * i, keyBytes + p);
    p += entry.length;
  });
  view.setInt32(dataBytes + 4 + 4 * entries.length, keyBytes + dataBytes);
  return { payload, dataBytes };
}

/** Key size of basketRecord's header, needed before the payload (its offsets are key-relative). */
const keyBytesOf = (bigFile: boolean) => basketRecord(new Uint8Array(0), 0, 0, 0, 0, bigFile).keyBytes;

function sameColumn(a: RootColumn, b: RootColumn) {
  expect(Array.from(a.values as ArrayLike<number>)).toEqual(Array.from(b.values as ArrayLike<number>));
  if (a.layout === 'vector' && b.layout === 'vector') expect(Array.from(a.offsets)).toEqual(Array.from(b.offsets));
  expect(a.layout).toBe(b.layout);
}

describe.runIf(hasFixture(FIXTURE))('readBranchColumn across baskets and codecs', () => {
  let tree: RootTree;
  let jets: { info: RootBranchInfo; column: RootColumn; payload: Uint8Array; starts: Int32Array; dataEnd: number };
  let mu: { info: RootBranchInfo; column: RootColumn; payload: Uint8Array };
  beforeAll(async () => {
    const file = await openRootFile(fixturePath(FIXTURE));
    tree = await file.getTree('CollectionTree');
    const read = async (name: string) => {
      const info = tree.getBranch(name);
      const basket = info.baskets[0] as BasketLocation;
      const decoded = decodeBasket(await file.source.read(basket.seek, basket.sizeBytes), info.layout === 'vector', name);
      return { info, column: await tree.readBranch(name), payload: decoded.payload, starts: decoded.entryStarts as Int32Array, dataEnd: decoded.dataEnd };
    };
    jets = await read('AnalysisJetsAuxDyn.pt');
    mu = await read('EventInfoAuxDyn.averageInteractionsPerCrossing');
  });

  it('decodes a vector<float> branch split over four baskets (zlib, raw, two zlib chunks, 64-bit key) to the same values', async () => {
    const entries = vectorEntries(jets.payload, jets.starts, jets.dataEnd);
    const parts = [entries.slice(0, 7), entries.slice(7, 40), entries.slice(40, 41), entries.slice(41)];
    const records = parts.map((part, k) => {
      const bigFile = k === 3;
      const { payload, dataBytes } = vectorPayload(part, keyBytesOf(bigFile));
      const half = Math.floor(payload.length / 2);
      const body = k === 1 ? payload : k === 2 || k === 3 ? Uint8Array.from([...zlibChunk(payload.subarray(0, half)), ...zlibChunk(payload.subarray(half))]) : zlibChunk(payload);
      return { record: basketRecord(body, payload.length, part.length, dataBytes, 0, bigFile).record, entries: part.length };
    });
    const { source, branch } = layOut(jets.info, records);
    const progress: number[] = [];
    const column = await readBranchColumn(source, branch, { onBasket: (done) => progress.push(done) });
    sameColumn(column, jets.column);
    expect(progress).toEqual([7, 40, 41, 100]);
  });

  it('decodes a flat float branch split over three baskets to the same values', async () => {
    const cuts = [[0, 33], [33, 34], [34, 100]] as const;
    const records = cuts.map(([from, to], k) => {
      const payload = mu.payload.slice(from * 4, to * 4);
      const entries = to - from;
      return { record: basketRecord(k === 1 ? payload : zlibChunk(payload), payload.length, entries, payload.length, 4).record, entries };
    });
    const { source, branch } = layOut(mu.info, records);
    sameColumn(await readBranchColumn(source, branch), mu.column);
  });

  it('decodes the branch from a ZSTD basket made by the reference zstd compressor', async () => {
    const compressed = compressWith('zstd', jets.payload);
    if (!compressed) return;
    const body = rootChunk('ZS', 1, compressed, jets.payload.length);
    const { record } = basketRecord(body, jets.payload.length, 100, jets.dataEnd, 0);
    const { source, branch } = layOut(jets.info, [{ record: withPayloadKey(record, 98), entries: 100 }]);
    sameColumn(await readBranchColumn(source, branch), jets.column);
  });

  it('decodes the branch from an LZ4 basket made by the reference lz4 compressor, checking ROOT’s XXH64', async () => {
    const frame = compressWith('lz4', jets.payload);
    if (!frame) return;
    expect(Array.from(frame.subarray(0, 4))).toEqual([0x04, 0x22, 0x4d, 0x18]);
    const blockSize = new DataView(frame.buffer, frame.byteOffset + 7).getUint32(0, true);
    expect(blockSize & 0x80000000).toBe(0);
    const block = frame.subarray(11, 11 + blockSize);
    const { record } = basketRecord(lz4Chunk(block, jets.payload.length), jets.payload.length, 100, jets.dataEnd, 0);
    const { source, branch } = layOut(jets.info, [{ record: withPayloadKey(record, 98), entries: 100 }]);
    sameColumn(await readBranchColumn(source, branch), jets.column);

    const corrupt = withPayloadKey(record, 98);
    corrupt[corrupt.length - 5] = (corrupt[corrupt.length - 5] as number) ^ 0xff;
    const broken = layOut(jets.info, [{ record: corrupt, entries: 100 }]);
    await expect(readBranchColumn(broken.source, broken.branch)).rejects.toThrow(/basket 0 of branch "AnalysisJetsAuxDyn.pt" in rebasketed.root: LZ4 chunk checksum mismatch/);
  });

  it('reports LZMA baskets as unsupported, naming the branch', async () => {
    const body = rootChunk('XZ', 0, new Uint8Array(16), jets.payload.length);
    const { record } = basketRecord(body, jets.payload.length, 100, jets.dataEnd, 0);
    const { source, branch } = layOut(jets.info, [{ record, entries: 100 }]);
    await expect(readBranchColumn(source, branch)).rejects.toThrow(/branch "AnalysisJetsAuxDyn.pt" in rebasketed.root: LZMA-compressed baskets are not supported/);
  });

  it('rejects a basket whose entry count disagrees with the branch index', async () => {
    const { record } = basketRecord(zlibChunk(jets.payload), jets.payload.length, 100, jets.dataEnd, 0);
    const { source, branch } = layOut(jets.info, [{ record: withPayloadKey(record, 98), entries: 100 }]);
    const wrong = { ...branch, baskets: [{ ...(branch.baskets[0] as BasketLocation), entries: 99 }], entries: 99 };
    await expect(readBranchColumn(source, wrong)).rejects.toThrow(/holds 100 entries from 0, the branch index says 99 from 0/);
  });
});

/**
 * The real payload's entry offsets count from the original 98-byte key; a record built by basketRecord has its own
 * key size. Rewrites the key-size field and pads the key so that the payload's offsets stay valid.
 */
function withPayloadKey(record: Uint8Array, payloadKeyBytes: number): Uint8Array {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const keyBytes = view.getUint16(14);
  const pad = payloadKeyBytes - keyBytes;
  if (pad < 0) throw new Error(`test key of ${keyBytes} bytes is longer than the payload's ${payloadKeyBytes}`);
  const out = new Uint8Array(record.length + pad);
  // Lengthen the title string (the third TString) by `pad` bytes and shift everything after it.
  const classLength = record[26] as number;
  const titleAt = 18 + 8 + 1 + classLength + 1 + (record[27 + classLength] as number);
  const titleLength = record[titleAt] as number;
  out.set(record.subarray(0, titleAt + 1 + titleLength));
  out[titleAt] = titleLength + pad;
  out.fill(0x20, titleAt + 1 + titleLength, titleAt + 1 + titleLength + pad);
  out.set(record.subarray(titleAt + 1 + titleLength), titleAt + 1 + titleLength + pad);
  const outView = new DataView(out.buffer);
  outView.setInt32(0, out.length);
  outView.setUint16(14, payloadKeyBytes);
  const lastAt = payloadKeyBytes - 5;
  outView.setInt32(lastAt, outView.getInt32(lastAt) + pad);
  return out;
}
