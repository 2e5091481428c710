import fs from 'node:fs';
import zlib from 'node:zlib';
import { AppError } from '@/lib/shared/app-error';
import {
  crc32,
  entryDataOffset,
  readCentralDirectory,
  readEndOfCentralDirectory,
  readZip64EndRecord,
  ZIP64_END_RECORD_BYTES,
  ZIP_LOCAL_HEADER_BYTES,
  ZIP_TAIL_BYTES,
  type ZipDirectoryEntry,
  ZipFormatError,
} from '@/lib/shared/zip/zip-records';

/** One file of a ZIP archive, read on demand. */
export type ZipEntry = { name: string; compressedSize: number; size: number; read: () => Uint8Array };

/**
 * The files of a ZIP archive (records parsed by lib/shared/zip/zip-records.ts: end of central directory, ZIP64 records
 * for archives over 4 GiB or 65 535 entries, stored and deflated entries, CRC-32 checked), read with random access so
 * only the entries asked for are inflated. This is how the Kaggle TrackML data came (train_sample.zip, train_1.zip,
 * test.zip).
 *
 * @throws {AppError} `INVALID_DATASET` for a file that is not a ZIP archive, is truncated, or uses a compression or
 *   encryption it cannot read (naming the entry).
 */
export function listZipEntries(file: string): ZipEntry[] {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const read = (position: number, length: number): Uint8Array => {
      const buffer = Buffer.alloc(length);
      let filled = 0;
      while (filled < length) {
        const n = fs.readSync(fd, buffer, filled, length - filled, position + filled);
        if (n === 0) throw invalid(file, `it ends at byte ${position + filled}, inside a record that needs ${length} bytes from ${position} (truncated?)`);
        filled += n;
      }
      return buffer;
    };
    const tailLength = Math.min(size, ZIP_TAIL_BYTES);
    let directory: ZipDirectoryEntry[];
    try {
      const end = readEndOfCentralDirectory(read(size - tailLength, tailLength));
      const location = end.zip64RecordOffset === null ? end : readZip64EndRecord(read(end.zip64RecordOffset, ZIP64_END_RECORD_BYTES));
      directory = readCentralDirectory(read(location.directoryOffset, location.directoryBytes), location.entries);
    } catch (error) {
      if (error instanceof ZipFormatError) throw invalid(file, `it ${error.what}`);
      throw error;
    }
    return directory
      .filter((entry) => !entry.name.endsWith('/'))
      .map((entry) => {
        const where = `${file}:${entry.name}`;
        return {
          name: entry.name,
          compressedSize: entry.compressedBytes,
          size: entry.uncompressedBytes,
          read: () => readEntry(file, entry, where),
        };
      });
  } finally {
    fs.closeSync(fd);
  }
}

function readEntry(file: string, entry: ZipDirectoryEntry, where: string): Uint8Array {
  if (entry.isEncrypted) throw invalid(where, 'it is encrypted');
  if (entry.method !== 0 && entry.method !== 8) throw invalid(where, `it uses compression method ${entry.method}; only stored (0) and deflate (8) are supported`);
  const handle = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(ZIP_LOCAL_HEADER_BYTES);
    fs.readSync(handle, header, 0, ZIP_LOCAL_HEADER_BYTES, entry.localHeaderOffset);
    let start: number;
    try {
      start = entryDataOffset(header, entry);
    } catch (error) {
      if (error instanceof ZipFormatError) throw invalid(where, 'its local header is damaged');
      throw error;
    }
    const data = Buffer.alloc(entry.compressedBytes);
    let filled = 0;
    while (filled < entry.compressedBytes) {
      const n = fs.readSync(handle, data, filled, entry.compressedBytes - filled, start + filled);
      if (n === 0) throw invalid(where, 'its data is truncated');
      filled += n;
    }
    let bytes: Buffer;
    try {
      bytes = entry.method === 0 ? data : zlib.inflateRawSync(data);
    } catch (cause) {
      throw invalid(where, `its deflate data cannot be inflated (${cause instanceof Error ? cause.message : String(cause)})`);
    }
    if (bytes.length !== entry.uncompressedBytes) throw invalid(where, `it inflates to ${bytes.length} bytes, not the ${entry.uncompressedBytes} its directory says`);
    if (crc32(bytes) !== entry.crc32) throw invalid(where, 'its CRC-32 does not match its contents (damaged data)');
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  } finally {
    fs.closeSync(handle);
  }
}

export { crc32 };

function invalid(where: string, why: string): AppError {
  return new AppError('INVALID_DATASET', `${where} cannot be read: ${why}.`, { file: where });
}
