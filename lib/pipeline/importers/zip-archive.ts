import fs from 'node:fs';
import zlib from 'node:zlib';
import { AppError } from '@/lib/shared/app-error';

/** One file of a ZIP archive, read on demand. */
export type ZipEntry = { name: string; compressedSize: number; size: number; read: () => Uint8Array };

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/**
 * The files of a ZIP archive (PKWARE APPNOTE 6.3: end of central directory, ZIP64 records for archives over 4 GiB or
 * 65 535 entries, stored and deflated entries, CRC-32 checked), read with random access so only the entries asked
 * for are inflated. This is how the Kaggle TrackML data came (train_sample.zip, train_1.zip, test.zip).
 *
 * @throws {AppError} `INVALID_DATASET` for a file that is not a ZIP archive, is truncated, or uses a compression or
 *   encryption it cannot read (naming the entry).
 */
export function listZipEntries(file: string): ZipEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const read = (position: number, length: number): Buffer => {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const n = fs.readSync(fd, buffer, filled, length - filled, position + filled);
        if (n === 0) throw invalid(file, `it ends at byte ${position + filled}, inside a record that needs ${length} bytes from ${position} (truncated?)`);
        filled += n;
      }
      return buffer;
    };
    // The end-of-central-directory record is in the last 22 + 65 535 bytes.
    const tailLength = Math.min(size, 22 + 65_535);
    const tail = read(size - tailLength, tailLength);
    let at = -1;
    for (let k = tailLength - 22; k >= 0; k--) {
      if (tail.readUInt32LE(k) === EOCD) {
        at = k;
        break;
      }
    }
    if (at < 0) throw invalid(file, 'it is not a ZIP archive (no end-of-central-directory record), or it is truncated');
    let entries = tail.readUInt16LE(at + 10);
    let directorySize = tail.readUInt32LE(at + 12);
    let directoryOffset = tail.readUInt32LE(at + 16);
    if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      const locatorAt = at - 20;
      if (locatorAt < 0 || tail.readUInt32LE(locatorAt) !== ZIP64_LOCATOR) throw invalid(file, 'a ZIP64 archive without its ZIP64 locator');
      const recordOffset = Number(tail.readBigUInt64LE(locatorAt + 8));
      const record = read(recordOffset, 56);
      if (record.readUInt32LE(0) !== ZIP64_EOCD) throw invalid(file, 'no ZIP64 end-of-central-directory record where the locator points');
      entries = Number(record.readBigUInt64LE(32));
      directorySize = Number(record.readBigUInt64LE(40));
      directoryOffset = Number(record.readBigUInt64LE(48));
    }
    const directory = read(directoryOffset, directorySize);
    const result: ZipEntry[] = [];
    let p = 0;
    for (let k = 0; k < entries; k++) {
      if (directory.readUInt32LE(p) !== CENTRAL_HEADER) throw invalid(file, `central directory entry ${k} is damaged`);
      const flags = directory.readUInt16LE(p + 8);
      const method = directory.readUInt16LE(p + 10);
      const crc = directory.readUInt32LE(p + 16);
      let compressedSize = directory.readUInt32LE(p + 20);
      let uncompressedSize = directory.readUInt32LE(p + 24);
      const nameLength = directory.readUInt16LE(p + 28);
      const extraLength = directory.readUInt16LE(p + 30);
      const commentLength = directory.readUInt16LE(p + 32);
      let localOffset = directory.readUInt32LE(p + 42);
      const name = directory.toString('utf8', p + 46, p + 46 + nameLength);
      // ZIP64 extended information: the 64-bit values of the fields that are 0xFFFFFFFF, in this order.
      let e = p + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = directory.readUInt16LE(e);
        const length = directory.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let q = e + 4;
          if (uncompressedSize === 0xffffffff) {
            uncompressedSize = Number(directory.readBigUInt64LE(q));
            q += 8;
          }
          if (compressedSize === 0xffffffff) {
            compressedSize = Number(directory.readBigUInt64LE(q));
            q += 8;
          }
          if (localOffset === 0xffffffff) localOffset = Number(directory.readBigUInt64LE(q));
        }
        e += 4 + length;
      }
      p = extraEnd + commentLength;
      if (name.endsWith('/')) continue;
      const where = `${file}:${name}`;
      const entrySize = uncompressedSize;
      result.push({
        name,
        compressedSize,
        size: entrySize,
        read: () => {
          if (flags & 1) throw invalid(where, 'it is encrypted');
          if (method !== 0 && method !== 8) throw invalid(where, `it uses compression method ${method}; only stored (0) and deflate (8) are supported`);
          const handle = fs.openSync(file, 'r');
          try {
            const header = Buffer.alloc(30);
            fs.readSync(handle, header, 0, 30, localOffset);
            if (header.readUInt32LE(0) !== LOCAL_HEADER) throw invalid(where, 'its local header is damaged');
            const start = localOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
            const data = Buffer.alloc(compressedSize);
            let filled = 0;
            while (filled < compressedSize) {
              const n = fs.readSync(handle, data, filled, compressedSize - filled, start + filled);
              if (n === 0) throw invalid(where, 'its data is truncated');
              filled += n;
            }
            let bytes: Buffer;
            try {
              bytes = method === 0 ? data : zlib.inflateRawSync(data);
            } catch (cause) {
              throw invalid(where, `its deflate data cannot be inflated (${cause instanceof Error ? cause.message : String(cause)})`);
            }
            if (bytes.length !== entrySize) throw invalid(where, `it inflates to ${bytes.length} bytes, not the ${entrySize} its directory says`);
            if (crc32(bytes) !== crc) throw invalid(where, 'its CRC-32 does not match its contents (damaged data)');
            return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
          } finally {
            fs.closeSync(handle);
          }
        },
      });
    }
    return result;
  } finally {
    fs.closeSync(fd);
  }
}

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 (ISO 3309, the checksum ZIP stores per entry). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function invalid(where: string, why: string): AppError {
  return new AppError('INVALID_DATASET', `${where} cannot be read: ${why}.`, { file: where });
}
