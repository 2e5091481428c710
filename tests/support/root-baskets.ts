import { createMemoryByteSource } from '@/lib/pipeline/root/byte-source';
import type { RawBasketRecord } from '@/lib/pipeline/root/raw-records';
import { rootChunk, type RootAlgorithm } from './reference-compressors';

function tstring(s: string): number[] {
  return [s.length, ...new TextEncoder().encode(s)];
}

/** Key length of a basket record written by {@link basketRecord} for this branch and tree (offsets count from the key). */
export function basketKeyBytes(branch: string, tree: string, bigFile = false): number {
  return 18 + (bigFile ? 16 : 8) + tstring('TBasket').length + tstring(branch).length + tstring(tree).length + 19;
}

/**
 * The payload of a basket as ROOT lays it out: the entries one after another, then (for variable-size entries) the
 * entry-offset array (count n+1, then n+1 key-relative offsets, the last one the end of the data).
 */
export function basketPayload(entries: readonly Uint8Array[], keyBytes: number, withOffsets: boolean): { payload: Uint8Array; dataBytes: number } {
  const dataBytes = entries.reduce((s, e) => s + e.length, 0);
  const payload = new Uint8Array(dataBytes + (withOffsets ? 4 + 4 * (entries.length + 1) : 0));
  const view = new DataView(payload.buffer);
  let p = 0;
  entries.forEach((entry, i) => {
    payload.set(entry, p);
    if (withOffsets) view.setInt32(dataBytes + 4 + 4 * i, keyBytes + p);
    p += entry.length;
  });
  if (withOffsets) {
    view.setInt32(dataBytes, entries.length + 1);
    view.setInt32(dataBytes + 4 + 4 * entries.length, keyBytes + dataBytes);
  }
  return { payload, dataBytes };
}

export type BasketBody = RootAlgorithm | 'raw' | RootAlgorithm[];

/**
 * A TKey + TBasket record as ROOT writes it (big-endian): `body` says how the payload is stored — raw, one chunk of
 * an algorithm (made by the reference encoder), or several chunks of the given algorithms. Null when an encoder tool
 * is missing. `bigFile` writes a version-1004 key (64-bit seeks).
 */
export function basketRecord(options: { branch: string; tree: string; entries: readonly Uint8Array[]; withOffsets: boolean; entryBytes?: number; body: BasketBody; bigFile?: boolean }): Uint8Array | null {
  const bigFile = options.bigFile ?? false;
  const keyBytes = basketKeyBytes(options.branch, options.tree, bigFile);
  const { payload, dataBytes } = basketPayload(options.entries, keyBytes, options.withOffsets);
  let stored: Uint8Array;
  if (options.body === 'raw') {
    stored = payload;
  } else {
    const algorithms = Array.isArray(options.body) ? options.body : [options.body];
    const step = Math.ceil(payload.length / algorithms.length);
    const chunks = algorithms.map((a, i) => rootChunk(a, payload.subarray(i * step, Math.min(payload.length, (i + 1) * step))));
    if (chunks.some((c) => c === null)) return null;
    // Like ROOT, a payload that does not compress is stored as it is.
    stored = chunks.includes('incompressible') ? payload : Uint8Array.from((chunks as Uint8Array[]).flatMap((c) => [...c]));
  }
  const record = new Uint8Array(keyBytes + stored.length);
  const view = new DataView(record.buffer);
  view.setInt32(0, record.length);
  view.setInt16(4, bigFile ? 1004 : 4);
  view.setInt32(6, payload.length);
  view.setUint32(10, 0x6a8e0000);
  view.setUint16(14, keyBytes);
  view.setInt16(16, 1);
  let p = 18 + (bigFile ? 16 : 8);
  const strings = [...tstring('TBasket'), ...tstring(options.branch), ...tstring(options.tree)];
  record.set(strings, p);
  p += strings.length;
  view.setInt16(p, 3);
  view.setInt32(p + 2, 32000);
  view.setInt32(p + 6, options.entryBytes ?? (options.withOffsets ? 1000 : (options.entries[0]?.length ?? 0)));
  view.setInt32(p + 10, options.entries.length);
  view.setInt32(p + 14, keyBytes + dataBytes);
  record[p + 18] = 0;
  record.set(stored, keyBytes);
  return record;
}

/** Records laid one after another in a memory "file", and the branch's basket index pointing at them. */
export function layOutBaskets(records: { record: Uint8Array; entries: number }[], name = 'rebasketed.root') {
  const total = records.reduce((s, r) => s + r.record.length, 100);
  const bytes = new Uint8Array(total);
  const baskets: RawBasketRecord[] = [];
  let seek = 100;
  let firstEntry = 0;
  records.forEach(({ record, entries }, index) => {
    bytes.set(record, seek);
    // The key's own position (fSeekKey), which the reader checks against the basket index.
    const view = new DataView(bytes.buffer, seek);
    if (view.getInt16(4) > 1000) view.setBigInt64(18, BigInt(seek));
    else view.setInt32(18, seek);
    baskets.push({ kind: 'disk', index, seek, sizeBytes: record.length, firstEntry, entries });
    seek += record.length;
    firstEntry += entries;
  });
  return { source: createMemoryByteSource(bytes, name), baskets, bytes };
}
