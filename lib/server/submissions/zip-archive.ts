import 'server-only';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import zlib from 'node:zlib';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { formatByteSize } from '@/lib/shared/formats/format-byte-size';
import {
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

/**
 * Takes the one predictions file out of a zip, as participants coming from Codabench upload them: the records are
 * parsed by lib/shared/zip/zip-records.ts; here are the file reads, stored (0) and deflated (8) entries streamed through
 * zlib, each entry's CRC-32, and the upload's own messages.
 */
export type ZipEntry = ZipDirectoryEntry;

const methodNames: Record<number, string> = { 9: 'Deflate64', 12: 'bzip2', 14: 'LZMA', 93: 'Zstandard', 95: 'XZ', 98: 'PPMd' };

function corrupt(fileName: string, what: string): AppError {
  return new AppError('INVALID_SUBMISSION', `${fileName} starts like a zip file but ${what}; zip the predictions file again and upload the complete zip.`, {
    file: fileName,
    expected: 'a complete zip file',
    found: what,
  });
}

async function readAt(handle: fs.FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/** The entries of the zip's central directory, in order. */
export async function listZipEntries(filePath: string, fileName: string): Promise<ZipEntry[]> {
  const handle = await fs.open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const tailLength = Math.min(size, ZIP_TAIL_BYTES);
    const end = readEndOfCentralDirectory(await readAt(handle, size - tailLength, tailLength));
    const location = end.zip64RecordOffset === null ? end : readZip64EndRecord(await readAt(handle, end.zip64RecordOffset, ZIP64_END_RECORD_BYTES));
    if (location.directoryOffset + location.directoryBytes > size || location.entries > 100_000) throw new ZipFormatError('has a central directory outside the file');
    return readCentralDirectory(await readAt(handle, location.directoryOffset, location.directoryBytes), location.entries);
  } catch (error) {
    if (error instanceof ZipFormatError) throw corrupt(fileName, error.what);
    throw error;
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
    dataStart = entryDataOffset(await readAt(handle, entry.localHeaderOffset, ZIP_LOCAL_HEADER_BYTES), entry);
  } catch (error) {
    if (error instanceof ZipFormatError) throw corrupt(fileName, error.what);
    throw error;
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
