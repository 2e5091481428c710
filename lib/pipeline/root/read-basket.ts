import { AppError } from '@/lib/shared/app-error';
import { decompressRootBuffer } from './root-compression';

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

export type DecodedBasket = {
  header: BasketHeader;
  /** Uncompressed payload; byte 0 is key-relative offset `keyBytes`. */
  payload: Uint8Array;
  /** End of the entry data inside `payload` (the entry-offset array follows). */
  dataEnd: number;
  /** Start of each entry inside `payload` (fEntryOffset − keyBytes); null for fixed-size entries. */
  entryStarts: Int32Array | null;
};

function invalid(where: string, message: string): AppError {
  return new AppError('INVALID_DATASET', `${where}: ${message}`, { file: where });
}

/** Parses the TKey and TBasket headers at the start of a basket record (big-endian, ROOT's streamer layout). */
export function parseBasketHeader(record: Uint8Array, where: string): BasketHeader {
  if (record.length < 32) throw invalid(where, `basket record of ${record.length} bytes is too short for a TKey header.`);
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const totalBytes = view.getInt32(0);
  const keyVersion = view.getInt16(4);
  const objectBytes = view.getInt32(6);
  const keyBytes = view.getUint16(14);
  let p = 18 + (keyVersion > 1000 ? 16 : 8);
  for (let s = 0; s < 3; s++) {
    const short = record[p] as number;
    p += short === 255 ? 5 + view.getInt32(p + 1) : 1 + short;
  }
  if (p + 19 > record.length) throw invalid(where, 'basket header runs past the record.');
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
  if (totalBytes !== record.length) throw invalid(where, `basket key says ${totalBytes} bytes but the branch index says ${record.length}; the file is corrupt.`);
  if (!(keyBytes > 0 && keyBytes <= totalBytes && objectBytes >= 0 && lastByte >= keyBytes && lastByte - keyBytes <= objectBytes && entries >= 0)) {
    throw invalid(where, `inconsistent basket header (key ${keyBytes}, object ${objectBytes}, last ${lastByte}, entries ${entries}).`);
  }
  return { totalBytes, objectBytes, keyBytes, entryBytes, entries, lastByte };
}

/**
 * Decodes a basket record: header, payload (decompressed unless stored raw) and, for branches with entry
 * offsets, the start of each entry. `hasEntryOffsets` comes from the branch (fEntryOffsetLen > 0).
 */
export function decodeBasket(record: Uint8Array, hasEntryOffsets: boolean, where: string): DecodedBasket {
  const header = parseBasketHeader(record, where);
  const stored = record.subarray(header.keyBytes, header.totalBytes);
  const payload = stored.length === header.objectBytes ? stored : decompressRootBuffer(stored, header.objectBytes, where);
  const dataEnd = header.lastByte - header.keyBytes;
  let entryStarts: Int32Array | null = null;
  if (hasEntryOffsets) {
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    if (dataEnd + 4 > payload.length) {
      if (header.entries > 1) throw invalid(where, `basket of ${header.entries} entries has no entry-offset array.`);
      entryStarts = Int32Array.of(0);
    } else {
      const count = view.getInt32(dataEnd);
      if (count < header.entries || dataEnd + 4 + 4 * count > payload.length) {
        throw invalid(where, `entry-offset array of ${count} values does not fit the basket (${header.entries} entries).`);
      }
      entryStarts = new Int32Array(header.entries);
      for (let i = 0; i < header.entries; i++) {
        const start = view.getInt32(dataEnd + 4 + 4 * i) - header.keyBytes;
        if (start < 0 || start > dataEnd || (i > 0 && start < (entryStarts[i - 1] as number))) throw invalid(where, `entry ${i} starts at ${start}, outside the data (0…${dataEnd}).`);
        entryStarts[i] = start;
      }
    }
  }
  return { header, payload, dataEnd, entryStarts };
}
