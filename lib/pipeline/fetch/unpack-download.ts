import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { AppError } from '@/lib/shared/app-error';
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

/** Decompresses `<name>.gz` beside itself (streaming) into the name without `.gz`; a failure leaves nothing behind. */
export async function gunzipFile(file: string): Promise<string> {
  const target = file.replace(/\.gz$/i, '');
  const part = `${target}.part`;
  try {
    await pipeline(fs.createReadStream(file), zlib.createGunzip(), fs.createWriteStream(part));
  } catch (cause) {
    await fs.promises.rm(part, { force: true });
    throw new AppError('INVALID_DATASET', `${path.basename(file)} is not a complete gzip file (${(cause as Error).message}).`, { file: path.basename(file) }, { cause });
  }
  await fs.promises.rename(part, target);
  return target;
}

export async function extractZipMembers(zipFile: string, dir: string, required: readonly string[], optional: readonly string[] = []): Promise<Record<string, string>> {
  const entries = await readZipDirectory(zipFile);
  const out: Record<string, string> = {};
  for (const wanted of [...required, ...optional]) {
    const entry = entries.find((e) => path.posix.basename(e.name) === wanted);
    if (!entry) {
      if (required.includes(wanted)) {
        throw new AppError('INVALID_DATASET', `${path.basename(zipFile)} has no member ${wanted}; it holds ${entries.map((e) => e.name).join(', ') || 'nothing'}.`, { file: path.basename(zipFile), expected: wanted });
      }
      continue;
    }
    out[wanted] = await extractEntry(zipFile, entry, path.join(dir, wanted));
  }
  return out;
}

async function readAt(handle: fs.promises.FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

async function readZipDirectory(zipFile: string): Promise<ZipDirectoryEntry[]> {
  const name = path.basename(zipFile);
  const handle = await fs.promises.open(zipFile, 'r');
  try {
    const size = (await handle.stat()).size;
    const tailBytes = Math.min(size, ZIP_TAIL_BYTES);
    const end = readEndOfCentralDirectory(await readAt(handle, size - tailBytes, tailBytes));
    const location = end.zip64RecordOffset === null ? end : readZip64EndRecord(await readAt(handle, end.zip64RecordOffset, ZIP64_END_RECORD_BYTES));
    return readCentralDirectory(await readAt(handle, location.directoryOffset, location.directoryBytes), location.entries);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new AppError('INVALID_DATASET', `${name} is not a readable zip file: it ${error.what}.`, { file: name }, { cause: error });
    throw error;
  } finally {
    await handle.close();
  }
}

async function extractEntry(zipFile: string, entry: ZipDirectoryEntry, target: string): Promise<string> {
  const name = `${path.basename(zipFile)}:${entry.name}`;
  if (entry.isEncrypted) throw new AppError('INVALID_DATASET', `${name} is encrypted; encrypted zip members are not supported.`, { file: name });
  if (entry.method !== 0 && entry.method !== 8) throw new AppError('INVALID_DATASET', `${name} uses compression method ${entry.method}; only stored (0) and deflate (8) are supported.`, { file: name });
  const handle = await fs.promises.open(zipFile, 'r');
  let dataStart: number;
  try {
    dataStart = entryDataOffset(await readAt(handle, entry.localHeaderOffset, ZIP_LOCAL_HEADER_BYTES), entry);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new AppError('INVALID_DATASET', `${name}: the local header at byte ${entry.localHeaderOffset} is damaged.`, { file: name }, { cause: error });
    throw error;
  } finally {
    await handle.close();
  }
  const part = `${target}.part`;
  let crc = 0;
  let bytes = 0;
  const check = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      crc = zlib.crc32(chunk, crc);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const source = entry.compressedBytes > 0 ? fs.createReadStream(zipFile, { start: dataStart, end: dataStart + entry.compressedBytes - 1 }) : Readable.from([]);
  try {
    if (entry.method === 8) await pipeline(source, zlib.createInflateRaw(), check, fs.createWriteStream(part));
    else await pipeline(source, check, fs.createWriteStream(part));
    if (bytes !== entry.uncompressedBytes || crc >>> 0 !== entry.crc32) {
      throw new AppError('INVALID_DATASET', `${name} fails its check: ${bytes} bytes with CRC-32 ${(crc >>> 0).toString(16)}, expected ${entry.uncompressedBytes} bytes with CRC-32 ${entry.crc32.toString(16)}.`, { file: name });
    }
  } catch (error) {
    await fs.promises.rm(part, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError('INVALID_DATASET', `${name} could not be extracted (${(error as Error).message}).`, { file: name }, { cause: error });
  }
  await fs.promises.rename(part, target);
  return target;
}
