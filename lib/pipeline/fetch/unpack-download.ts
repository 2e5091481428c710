import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { AppError } from '@/lib/shared/app-error';

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

type ZipEntry = { name: string; method: number; compressedBytes: number; uncompressedBytes: number; crc32: number; localHeaderOffset: number };

/**
 * Extracts the named members of a zip file (stored or deflated; zip64 sizes and offsets included) into `dir`,
 * streaming, and checks each member's size and CRC-32. Members are matched by their base name. Returns the paths of
 * the members found; `required` members that are missing raise `AppError('INVALID_DATASET')` naming what the zip holds.
 */
export async function extractZipMembers(zipFile: string, dir: string, required: readonly string[], optional: readonly string[] = []): Promise<Record<string, string>> {
  const entries = await readCentralDirectory(zipFile);
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

async function readCentralDirectory(zipFile: string): Promise<ZipEntry[]> {
  const name = path.basename(zipFile);
  const bad = (why: string) => new AppError('INVALID_DATASET', `${name} is not a readable zip file: ${why}.`, { file: name });
  const handle = await fs.promises.open(zipFile, 'r');
  try {
    const size = (await handle.stat()).size;
    const tailBytes = Math.min(size, 65_557);
    const tail = await readAt(handle, size - tailBytes, tailBytes);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd < 0) throw bad('no end-of-central-directory record');
    let entries = tail.readUInt16LE(eocd + 10);
    let directoryBytes = tail.readUInt32LE(eocd + 12);
    let directoryOffset = tail.readUInt32LE(eocd + 16);
    if (entries === 0xffff || directoryOffset === 0xffffffff || directoryBytes === 0xffffffff) {
      const locator = eocd - 20;
      if (locator < 0 || tail.readUInt32LE(locator) !== 0x07064b50) throw bad('a zip64 archive without its locator');
      const zip64 = await readAt(handle, Number(tail.readBigUInt64LE(locator + 8)), 56);
      if (zip64.readUInt32LE(0) !== 0x06064b50) throw bad('a damaged zip64 end record');
      entries = Number(zip64.readBigUInt64LE(32));
      directoryBytes = Number(zip64.readBigUInt64LE(40));
      directoryOffset = Number(zip64.readBigUInt64LE(48));
    }
    const directory = await readAt(handle, directoryOffset, directoryBytes);
    const list: ZipEntry[] = [];
    let at = 0;
    for (let i = 0; i < entries; i++) {
      if (directory.readUInt32LE(at) !== 0x02014b50) throw bad(`central directory entry ${i} is damaged`);
      const nameBytes = directory.readUInt16LE(at + 28);
      const extraBytes = directory.readUInt16LE(at + 30);
      const commentBytes = directory.readUInt16LE(at + 32);
      const entry: ZipEntry = {
        name: directory.toString('utf8', at + 46, at + 46 + nameBytes),
        method: directory.readUInt16LE(at + 10),
        crc32: directory.readUInt32LE(at + 16),
        compressedBytes: directory.readUInt32LE(at + 20),
        uncompressedBytes: directory.readUInt32LE(at + 24),
        localHeaderOffset: directory.readUInt32LE(at + 42),
      };
      // Zip64 extra field: the 64-bit values appear in this order for the 32-bit fields that are 0xffffffff.
      let extra = at + 46 + nameBytes;
      const extraEnd = extra + extraBytes;
      while (extra + 4 <= extraEnd) {
        const id = directory.readUInt16LE(extra);
        const length = directory.readUInt16LE(extra + 2);
        if (id === 0x0001) {
          let field = extra + 4;
          for (const key of ['uncompressedBytes', 'compressedBytes', 'localHeaderOffset'] as const) {
            if (entry[key] === 0xffffffff) {
              entry[key] = Number(directory.readBigUInt64LE(field));
              field += 8;
            }
          }
        }
        extra += 4 + length;
      }
      list.push(entry);
      at = extraEnd + commentBytes;
    }
    return list;
  } finally {
    await handle.close();
  }
}

async function extractEntry(zipFile: string, entry: ZipEntry, target: string): Promise<string> {
  const name = `${path.basename(zipFile)}:${entry.name}`;
  if (entry.method !== 0 && entry.method !== 8) throw new AppError('INVALID_DATASET', `${name} uses compression method ${entry.method}; only stored (0) and deflate (8) are supported.`, { file: name });
  const handle = await fs.promises.open(zipFile, 'r');
  let dataStart: number;
  try {
    const local = await readAt(handle, entry.localHeaderOffset, 30);
    if (local.readUInt32LE(0) !== 0x04034b50) throw new AppError('INVALID_DATASET', `${name}: the local header at byte ${entry.localHeaderOffset} is damaged.`, { file: name });
    dataStart = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
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
