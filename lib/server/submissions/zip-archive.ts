import 'server-only';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { formatByteSize } from '@/lib/shared/formats/format-byte-size';

/**
 * Just enough of the ZIP format (PKWARE APPNOTE 6.3) to take the one predictions file out of a zip, as participants
 * coming from Codabench upload them: the end-of-central-directory record (and its ZIP64 form), central directory
 * entries, local headers, stored (0) and deflated (8) entries, ZIP64 sizes, and each entry's CRC-32.
 */
export type ZipEntry = {
  name: string;
  method: number;
  compressedBytes: number;
  uncompressedBytes: number;
  crc32: number;
  localHeaderOffset: number;
  isEncrypted: boolean;
};

const EOCD_SIGNATURE = 0x06054b50;
const EOCD64_LOCATOR_SIGNATURE = 0x07064b50;
const EOCD64_SIGNATURE = 0x06064b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const MAX_COMMENT_BYTES = 0xffff;

const methodNames: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 98: 'PPMd' };

function corrupt(fileName: string, what: string): AppError {
  return new AppError('INVALID_SUBMISSION', `${fileName} starts like a zip file but ${what}; zip the predictions file again and upload the complete zip.`, {
    file: fileName,
    expected: 'a complete zip file',
    found: what,
  });
}

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** The entries of the zip's central directory, in order. */
export async function listZipEntries(filePath: string, fileName: string): Promise<ZipEntry[]> {
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, MAX_COMMENT_BYTES + 22);
    const tail = await readAt(handle, size - tailLength, tailLength);
    let eocd = -1;
    for (let k = tail.length - 22; k >= 0; k--) {
      if (tail.readUInt32LE(k) === EOCD_SIGNATURE) {
        eocd = k;
        break;
      }
    }
    if (eocd === -1) throw corrupt(fileName, 'has no end-of-central-directory record (truncated?)');
    let count = tail.readUInt16LE(eocd + 10);
    let directoryBytes = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    if ((count === 0xffff || directoryBytes === 0xffffffff || directoryOffset === 0xffffffff) && eocd >= 20 && tail.readUInt32LE(eocd - 20) === EOCD64_LOCATOR_SIGNATURE) {
      const eocd64Offset = Number(tail.readBigUInt64LE(eocd - 20 + 8));
      const eocd64 = await readAt(handle, eocd64Offset, 56);
      if (eocd64.length < 56 || eocd64.readUInt32LE(0) !== EOCD64_SIGNATURE) throw corrupt(fileName, 'has a broken ZIP64 end-of-central-directory record');
      count = Number(eocd64.readBigUInt64LE(32));
      directoryBytes = Number(eocd64.readBigUInt64LE(40));
      directoryOffset = Number(eocd64.readBigUInt64LE(48));
    }
    if (directoryOffset + directoryBytes > size || count > 100_000) throw corrupt(fileName, 'has a central directory outside the file');
    const directory = await readAt(handle, directoryOffset, directoryBytes);
    const entries: ZipEntry[] = [];
    let k = 0;
    for (let i = 0; i < count; i++) {
      if (k + 46 > directory.length || directory.readUInt32LE(k) !== CENTRAL_SIGNATURE) throw corrupt(fileName, `has a broken central directory entry ${i + 1}`);
      const flags = directory.readUInt16LE(k + 8);
      const nameLength = directory.readUInt16LE(k + 28);
      const extraLength = directory.readUInt16LE(k + 30);
      const commentLength = directory.readUInt16LE(k + 32);
      let compressedBytes = directory.readUInt32LE(k + 20);
      let uncompressedBytes = directory.readUInt32LE(k + 24);
      let localHeaderOffset = directory.readUInt32LE(k + 42);
      const name = directory.subarray(k + 46, k + 46 + nameLength).toString(flags & 0x800 ? 'utf8' : 'latin1');
      // ZIP64: the 0xFFFFFFFF fields come, in this order, from the extra field 0x0001.
      let e = k + 46 + nameLength;
      const extraEnd = e + extraLength;
      while (e + 4 <= extraEnd) {
        const id = directory.readUInt16LE(e);
        const length = directory.readUInt16LE(e + 2);
        if (id === 0x0001) {
          let p = e + 4;
          const next = () => {
            const value = p + 8 <= e + 4 + length ? Number(directory.readBigUInt64LE(p)) : null;
            p += 8;
            return value;
          };
          if (uncompressedBytes === 0xffffffff) uncompressedBytes = next() ?? uncompressedBytes;
          if (compressedBytes === 0xffffffff) compressedBytes = next() ?? compressedBytes;
          if (localHeaderOffset === 0xffffffff) localHeaderOffset = next() ?? localHeaderOffset;
        }
        e += 4 + length;
      }
      entries.push({
        name,
        method: directory.readUInt16LE(k + 10),
        compressedBytes,
        uncompressedBytes,
        crc32: directory.readUInt32LE(k + 16),
        localHeaderOffset,
        isEncrypted: (flags & 1) === 1,
      });
      k = extraEnd + commentLength;
    }
    return entries;
  } finally {
    await handle.close();
  }
}

/** Folders and the files archivers add on their own (macOS resource forks, Finder and Windows thumbnails). */
function isArchiverNoise(name: string): boolean {
  const base = name.split('/').pop() ?? '';
  return name.endsWith('/') || name.startsWith('__MACOSX/') || base === '.DS_Store' || base === 'Thumbs.db' || base.startsWith('._');
}

/**
 * The zip's one predictions file. A zip with none, or with several, is refused, naming what it holds; an encrypted
 * entry or a compression method other than stored or deflate is refused, naming it.
 */
export async function findSinglePredictionsEntry(filePath: string, fileName: string): Promise<ZipEntry> {
  const entries = await listZipEntries(filePath, fileName);
  const files = entries.filter((e) => !isArchiverNoise(e.name));
  if (files.length === 0) {
    throw new AppError('INVALID_SUBMISSION', `${fileName} is a zip without a predictions file${entries.length ? ` (it holds only ${entries.map((e) => e.name).slice(0, 5).join(', ')})` : ' (it is empty)'}; put your predictions file in the zip, or upload the file itself.`, {
      file: fileName,
      expected: 'exactly one predictions file in the zip',
      found: 'none',
    });
  }
  if (files.length > 1) {
    const names = files.map((e) => e.name);
    throw new AppError('INVALID_SUBMISSION', `${fileName} holds ${files.length} files (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}); a zip upload must hold exactly one predictions file.`, {
      file: fileName,
      expected: 'exactly one predictions file in the zip',
      found: names.join(', '),
    });
  }
  const entry = files[0] as ZipEntry;
  if (entry.isEncrypted) throw new AppError('INVALID_SUBMISSION', `${fileName}: ${entry.name} is encrypted; zip it without a password.`, { file: fileName, found: 'an encrypted entry' });
  if (entry.method !== 0 && entry.method !== 8) {
    const method = methodNames[entry.method] ?? `method ${entry.method}`;
    throw new AppError('INVALID_SUBMISSION', `${fileName}: ${entry.name} is compressed with ${method}; zip it with the usual Deflate compression (or store it).`, {
      file: fileName,
      expected: 'Deflate or stored',
      found: method,
    });
  }
  return entry;
}

/**
 * The uncompressed bytes of one entry, in chunks, never more than `maxBytes` of them (checked as they inflate, so a
 * zip bomb stops early), and checked against the entry's size and CRC-32 at the end.
 */
export async function* zipEntryChunks(filePath: string, fileName: string, entry: ZipEntry, maxBytes: number): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(filePath, 'r');
  let dataStart: number;
  try {
    const local = await readAt(handle, entry.localHeaderOffset, 30);
    if (local.length < 30 || local.readUInt32LE(0) !== LOCAL_SIGNATURE) throw corrupt(fileName, `has a broken local header for ${entry.name}`);
    dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
  } finally {
    await handle.close();
  }
  if (entry.compressedBytes === 0 && entry.uncompressedBytes === 0) return;
  const input = createReadStream(filePath, { start: dataStart, end: dataStart + entry.compressedBytes - 1, highWaterMark: 256 * 1024 });
  const inflater = entry.method === 8 ? zlib.createInflateRaw({ chunkSize: 64 * 1024 }) : null;
  const stream = inflater ? input.pipe(inflater) : input;
  input.on('error', (error) => inflater?.destroy(error));
  let total = 0;
  let crc = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new AppError('PAYLOAD_TOO_LARGE', `${fileName}: ${entry.name} decompresses to more than ${maxBytes} bytes (${formatByteSize(maxBytes)}); the limit applies to the uncompressed content.`, {
          file: fileName,
          expected: `at most ${maxBytes} bytes after decompression`,
          found: `more than ${maxBytes} bytes`,
        });
      }
      crc = zlib.crc32(chunk, crc);
      yield chunk;
    }
  } catch (error) {
    if (isAppError(error)) throw error;
    throw corrupt(fileName, `holds ${entry.name} in damaged compressed data`);
  } finally {
    inflater?.destroy();
    input.destroy();
  }
  if (total !== entry.uncompressedBytes || crc >>> 0 !== entry.crc32 >>> 0) throw corrupt(fileName, `holds ${entry.name} with the wrong size or checksum (damaged)`);
}
