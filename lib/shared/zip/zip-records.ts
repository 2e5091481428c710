/**
 * The records of the ZIP format (PKWARE APPNOTE 6.3) that a reader with random access needs, parsed from bytes: the
 * end of central directory (and its ZIP64 form), central directory entries with their ZIP64 sizes, and the local
 * header in front of an entry's data. No I/O and no inflating here: the upload reader (lib/server) and the TrackML
 * importer (lib/pipeline) bring their own, and say what went wrong in their own words ({@link ZipFormatError}).
 */

/** One entry of the central directory. Directories (names ending in `/`) are included. */
export type ZipDirectoryEntry = {
  name: string;
  /** 0 stored, 8 deflate; anything else the readers refuse. */
  method: number;
  isEncrypted: boolean;
  crc32: number;
  compressedBytes: number;
  uncompressedBytes: number;
  localHeaderOffset: number;
};

/** Where the central directory is, from the end-of-central-directory record (or its ZIP64 form). */
export type ZipDirectoryLocation = { entries: number; directoryBytes: number; directoryOffset: number };

/** A record is missing or damaged; `what` says which, in words a message can take as they are. */
export class ZipFormatError extends Error {
  constructor(readonly what: string) {
    super(what);
    this.name = 'ZipFormatError';
  }
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
/** The end record is 22 bytes, followed by a comment of at most 65 535. */
export const ZIP_TAIL_BYTES = 22 + 0xffff;
/** Bytes of a ZIP64 end-of-central-directory record that hold what a reader needs. */
export const ZIP64_END_RECORD_BYTES = 56;
/** Bytes of a local header before its name and extra field. */
export const ZIP_LOCAL_HEADER_BYTES = 30;

const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The central directory's location from the last {@link ZIP_TAIL_BYTES} bytes of the file. When it is in ZIP64 form,
 * `zip64RecordOffset` says where the ZIP64 end record is: read {@link ZIP64_END_RECORD_BYTES} bytes there and pass them
 * to {@link readZip64EndRecord}.
 */
export function readEndOfCentralDirectory(tail: Uint8Array): ZipDirectoryLocation & { zip64RecordOffset: number | null } {
  const v = view(tail);
  let at = -1;
  for (let k = tail.length - 22; k >= 0; k--) {
    if (v.getUint32(k, true) === EOCD) {
      at = k;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('has no end-of-central-directory record (it is not a ZIP archive, or it is truncated)');
  const location = { entries: v.getUint16(at + 10, true), directoryBytes: v.getUint32(at + 12, true), directoryOffset: v.getUint32(at + 16, true) };
  // A ZIP64 locator right before the end record wins even when the 16/32-bit fields are not saturated: some writers
  // (Python's zipfile among them) store the low bits there and the true values only in the ZIP64 record.
  const locator = at - 20;
  if (locator >= 0 && v.getUint32(locator, true) === ZIP64_LOCATOR) return { ...location, zip64RecordOffset: Number(v.getBigUint64(locator + 8, true)) };
  const isZip64 = location.entries === 0xffff || location.directoryBytes === 0xffffffff || location.directoryOffset === 0xffffffff;
  if (isZip64) throw new ZipFormatError('is a ZIP64 archive without its ZIP64 locator');
  return { ...location, zip64RecordOffset: null };
}

/** The central directory's location from a ZIP64 end-of-central-directory record. */
export function readZip64EndRecord(record: Uint8Array): ZipDirectoryLocation {
  if (record.length < ZIP64_END_RECORD_BYTES || view(record).getUint32(0, true) !== ZIP64_EOCD) throw new ZipFormatError('has no ZIP64 end-of-central-directory record where its locator points');
  const v = view(record);
  return { entries: Number(v.getBigUint64(32, true)), directoryBytes: Number(v.getBigUint64(40, true)), directoryOffset: Number(v.getBigUint64(48, true)) };
}

/** Every entry of a central directory (`entries` records). Names are UTF-8 when flagged so, else Latin-1. */
export function readCentralDirectory(directory: Uint8Array, entries: number): ZipDirectoryEntry[] {
  const v = view(directory);
  const out: ZipDirectoryEntry[] = [];
  let p = 0;
  for (let i = 0; i < entries; i++) {
    if (p + 46 > directory.length || v.getUint32(p, true) !== CENTRAL_HEADER) throw new ZipFormatError(`has a damaged central directory entry ${i + 1}`);
    const flags = v.getUint16(p + 8, true);
    const nameLength = v.getUint16(p + 28, true);
    const extraLength = v.getUint16(p + 30, true);
    const commentLength = v.getUint16(p + 32, true);
    let compressedBytes = v.getUint32(p + 20, true);
    let uncompressedBytes = v.getUint32(p + 24, true);
    let localHeaderOffset = v.getUint32(p + 42, true);
    const nameBytes = directory.subarray(p + 46, p + 46 + nameLength);
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'latin1').decode(nameBytes);
    // ZIP64: the fields that read 0xFFFFFFFF come, in this order, from the extra field 0x0001.
    let e = p + 46 + nameLength;
    const declaredExtraEnd = e + extraLength;
    const extraEnd = Math.min(directory.length, declaredExtraEnd);
    while (e + 4 <= extraEnd) {
      const id = v.getUint16(e, true);
      const length = v.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        const next = () => {
          const value = q + 8 <= e + 4 + length ? Number(v.getBigUint64(q, true)) : null;
          q += 8;
          return value;
        };
        if (uncompressedBytes === 0xffffffff) uncompressedBytes = next() ?? uncompressedBytes;
        if (compressedBytes === 0xffffffff) compressedBytes = next() ?? compressedBytes;
        if (localHeaderOffset === 0xffffffff) localHeaderOffset = next() ?? localHeaderOffset;
      }
      e += 4 + length;
    }
    out.push({
      name,
      method: v.getUint16(p + 10, true),
      isEncrypted: (flags & 1) === 1,
      crc32: v.getUint32(p + 16, true),
      compressedBytes,
      uncompressedBytes,
      localHeaderOffset,
    });
    p = declaredExtraEnd + commentLength;
  }
  return out;
}

/** Where an entry's data starts, from the {@link ZIP_LOCAL_HEADER_BYTES} bytes at its local header offset. */
export function entryDataOffset(localHeader: Uint8Array, entry: Pick<ZipDirectoryEntry, 'name' | 'localHeaderOffset'>): number {
  const v = view(localHeader);
  if (localHeader.length < ZIP_LOCAL_HEADER_BYTES || v.getUint32(0, true) !== LOCAL_HEADER) throw new ZipFormatError(`has a damaged local header for ${entry.name}`);
  return entry.localHeaderOffset + ZIP_LOCAL_HEADER_BYTES + v.getUint16(26, true) + v.getUint16(28, true);
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309), the checksum ZIP stores per entry; pass the previous value to continue over another chunk. */
export function crc32(bytes: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
