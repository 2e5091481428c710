import { AppError } from '@/lib/shared/app-error';
import { CorruptCompressedDataError, decompressRootBuffer } from './codecs/decompress-root-buffer';
import type { RawBasketRecord } from './raw-records';

/** Where a basket comes from, for messages: file, tree, branch, basket number and its bytes in the file. */
export type BasketContext = { file: string; tree: string; branch: string; basket: RawBasketRecord };

/** The TKey + TBasket header fields the decoder needs. */
export type BasketHeader = {
  /** Size of the whole record on disk (key + compressed payload). */
  totalBytes: number;
  /** Uncompressed payload size (fObjlen). */
  objectBytes: number;
  /** Key + basket header size; entry offsets and fLast count from the start of the key. */
  keyBytes: number;
  /** fNevBufSize: bytes per entry of fixed-size branches. */
  entryBytes: number;
  /** fNevBuf: number of entries in the basket. */
  entries: number;
  /** fLast: end of the entry data (key-relative). */
  lastByte: number;
};

/** A basket's entry data, uncompressed. */
export type DecodedBasket = {
  entries: number;
  /** Byte 0 is key-relative offset `keyBytes`; entry data end at `dataEnd`. */
  payload: Uint8Array;
  dataEnd: number;
  /** Start of each entry inside `payload`; null for fixed-size entries. */
  entryStarts: Int32Array | null;
  /** Bytes per entry of fixed-size entries (fNevBufSize). */
  entryBytes: number;
};

export function describeBasket(context: BasketContext): string {
  const { basket } = context;
  const where = basket.kind === 'disk' ? `at bytes ${basket.seek}–${basket.seek + basket.sizeBytes}` : basket.kind === 'embedded' ? 'stored inside the TTree object' : 'never written';
  return `${context.file}: tree "${context.tree}", branch "${context.branch}", basket ${basket.index} (entries ${basket.firstEntry}–${basket.firstEntry + basket.entries - 1}) ${where}`;
}

/** The error for a basket that cannot be read, naming file, tree, branch, basket and its byte range. */
export function basketError(context: BasketContext, message: string, cause?: unknown): AppError {
  const { basket } = context;
  return new AppError(
    'INVALID_DATASET',
    `${describeBasket(context)}: ${message}`,
    {
      file: context.file,
      column: context.branch,
      tree: context.tree,
      basket: basket.index,
      ...(basket.kind === 'disk' ? { byteRange: `${basket.seek}-${basket.seek + basket.sizeBytes}` } : {}),
    },
    cause === undefined ? undefined : { cause },
  );
}

function readTString(record: Uint8Array, view: DataView, p: number): { value: string; next: number } {
  const short = record[p] as number;
  const length = short === 255 ? view.getInt32(p + 1) : short;
  const start = p + (short === 255 ? 5 : 1);
  let value = '';
  for (let k = 0; k < length && start + k < record.length; k++) value += String.fromCharCode(record[start + k] as number);
  return { value, next: start + length };
}

const T_BASKET = [7, 0x54, 0x42, 0x61, 0x73, 0x6b, 0x65, 0x74]; // length-prefixed "TBasket"

function isTBasketName(record: Uint8Array, p: number): boolean {
  for (let k = 0; k < T_BASKET.length; k++) if (record[p + k] !== T_BASKET[k]) return false;
  return true;
}

/** Parses the TKey and TBasket headers at the start of a basket record (big-endian, ROOT's streamer layout). */
export function parseBasketHeader(record: Uint8Array, context: BasketContext, expectedBytes = record.length): BasketHeader {
  if (record.length < 32) throw basketError(context, `the record of ${record.length} bytes is too short for a TKey header; the file is corrupt.`);
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const totalBytes = view.getInt32(0);
  const keyVersion = view.getInt16(4);
  const objectBytes = view.getInt32(6);
  const keyBytes = view.getUint16(14);
  const seekKey = keyVersion > 1000 ? Number(view.getBigInt64(18)) : view.getInt32(18);
  if (context.basket.kind === 'disk' && seekKey !== context.basket.seek) {
    throw basketError(context, `bad key: it says it lies at byte ${seekKey}; the basket index points at the wrong bytes or the file is corrupt.`);
  }
  let p = 18 + (keyVersion > 1000 ? 16 : 8);
  if (p + 8 >= record.length) throw basketError(context, 'the TKey header runs past the record; the file is corrupt.');
  if (!isTBasketName(record, p)) {
    throw basketError(context, `bad key: it names class "${readTString(record, view, p).value.slice(0, 40)}" where a TBasket is expected; the basket index points at the wrong bytes or the file is corrupt.`);
  }
  p += 8;
  for (let s = 0; s < 2; s++) {
    // The branch and tree names: skipped by their lengths.
    const short = record[p] as number;
    p += short === 255 ? 5 + view.getInt32(p + 1) : 1 + short;
  }
  if (p + 19 > record.length) throw basketError(context, 'the TBasket header runs past the record; the file is corrupt.');
  p += 2; // TBasket version
  p += 4; // fBufferSize
  let entryBytes = view.getInt32(p);
  p += 4;
  if (entryBytes < 0) {
    entryBytes = -entryBytes;
    p += 1; // fIOBits
  }
  const entries = view.getInt32(p);
  const lastByte = view.getInt32(p + 4);
  if (totalBytes !== expectedBytes) throw basketError(context, `bad key: it says ${totalBytes} bytes but the branch's basket index says ${expectedBytes}; the file is corrupt.`);
  if (!(keyBytes > 0 && keyBytes <= totalBytes && objectBytes >= 0 && lastByte >= keyBytes && lastByte - keyBytes <= objectBytes && entries >= 0)) {
    throw basketError(context, `bad key: inconsistent basket header (key ${keyBytes} bytes, object ${objectBytes}, last ${lastByte}, entries ${entries}); the file is corrupt.`);
  }
  return { totalBytes, objectBytes, keyBytes, entryBytes, entries, lastByte };
}

/** Entry starts (payload-relative) from the offset array ROOT writes after the entry data of variable-size baskets. */
function entryStartsOf(payload: Uint8Array, dataEnd: number, entries: number, keyBytes: number, context: BasketContext): Int32Array {
  const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  if (dataEnd + 4 > payload.length) {
    if (entries > 1) throw basketError(context, `the basket of ${entries} entries has no entry-offset array; the file is corrupt.`);
    return Int32Array.of(0);
  }
  const count = view.getInt32(dataEnd);
  if (count < entries || dataEnd + 4 + 4 * count > payload.length) {
    throw basketError(context, `its entry-offset array of ${count} values does not fit the basket (${entries} entries, ${payload.length - dataEnd} bytes after the data); the file is corrupt.`);
  }
  const starts = new Int32Array(entries);
  let previous = 0;
  for (let i = 0, at = dataEnd + 4; i < entries; i++, at += 4) {
    const start = view.getInt32(at) - keyBytes;
    if (start < previous || start > dataEnd) throw basketError(context, `entry ${context.basket.firstEntry + i} starts at byte ${start}, outside the entry data (${previous}–${dataEnd}); the file is corrupt.`);
    starts[i] = start;
    previous = start;
  }
  return starts;
}

function checkedStarts(starts: Int32Array, dataEnd: number, context: BasketContext): Int32Array {
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i] as number;
    if (start < 0 || start > dataEnd || (i > 0 && start < (starts[i - 1] as number))) {
      throw basketError(context, `entry ${context.basket.firstEntry + i} starts at byte ${start}, outside the entry data (0–${dataEnd}); the file is corrupt.`);
    }
  }
  return starts;
}

/**
 * Decodes a basket record read from disk: header, payload (decompressed unless stored raw) and, for branches with
 * entry offsets, the start of each entry. A record that fails any check — wrong key, bad sizes, a chunk that does
 * not decompress or fails its checksum — ends in an AppError naming the file, tree, branch, basket and byte range.
 */
export async function decodeDiskBasket(record: Uint8Array, hasEntryOffsets: boolean, context: BasketContext): Promise<DecodedBasket> {
  const header = parseBasketHeader(record, context, context.basket.kind === 'disk' ? context.basket.sizeBytes : record.length);
  if (header.entries !== context.basket.entries) {
    throw basketError(context, `holds ${header.entries} entries where the branch's basket index says ${context.basket.entries}; the file is corrupt.`);
  }
  const stored = record.subarray(header.keyBytes, header.totalBytes);
  let payload: Uint8Array;
  if (stored.length === header.objectBytes) {
    payload = stored;
  } else {
    try {
      payload = await decompressRootBuffer(stored, header.objectBytes);
    } catch (error) {
      if (error instanceof CorruptCompressedDataError) throw basketError(context, `${error.message} (offsets relative to the compressed data at byte ${header.keyBytes} of the record).`, error);
      throw error;
    }
  }
  const dataEnd = header.lastByte - header.keyBytes;
  const entryStarts = hasEntryOffsets ? entryStartsOf(payload, dataEnd, header.entries, header.keyBytes, context) : null;
  return { entries: header.entries, payload, dataEnd, entryStarts, entryBytes: header.entryBytes };
}

/** The same view of a basket that jsroot found inside the TTree object (already uncompressed). */
export function decodeEmbeddedBasket(basket: Extract<RawBasketRecord, { kind: 'embedded' }>, hasEntryOffsets: boolean, context: BasketContext): DecodedBasket {
  const dataEnd = basket.data.length;
  let entryStarts: Int32Array | null = null;
  if (hasEntryOffsets) {
    if (basket.entryOffsets) {
      if (basket.entryOffsets.length < basket.entries) throw basketError(context, `has ${basket.entryOffsets.length} entry offsets for ${basket.entries} entries; the file is corrupt.`);
      entryStarts = checkedStarts(Int32Array.from(basket.entryOffsets.subarray(0, basket.entries), (o) => o - basket.keyBytes), dataEnd, context);
    } else if (basket.entries <= 1) {
      entryStarts = new Int32Array(basket.entries);
    } else {
      throw basketError(context, `has no entry offsets for its ${basket.entries} entries; the file is corrupt.`);
    }
  }
  return { entries: basket.entries, payload: basket.data, dataEnd, entryStarts, entryBytes: basket.entryBytes };
}
