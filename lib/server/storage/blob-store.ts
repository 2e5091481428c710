import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';

/**
 * Content-addressed file store under `<dataDir>/blobs/<first two hex>/<sha256>`. Writes go to a temporary file
 * and are renamed into place, so a reader never sees half a file and a crash leaves no partial blob.
 */
export function sha256Hex(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Where the blob with this sha256 lives (whether or not it is stored); throws for anything but 64 lowercase hex digits. */
export function blobFilePath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('BAD_REQUEST', `"${sha256}" is not a sha256 hex digest.`);
  return path.join(dataDir, 'blobs', sha256.slice(0, 2), sha256);
}

/**
 * Moves a finished temporary file (e.g. from `receiveUpload`, same file system as `dataDir`) into the store under its
 * sha256, which the caller computed while writing it. The data is fsync'd first and the file appears atomically
 * (hard link, which fails rather than replaces when the blob exists), so a concurrent adopt of the same bytes yields
 * exactly one `created: true`. When the blob already exists the temporary file is deleted and `created` is false.
 */
export async function adoptBlob(dataDir: string, tempPath: string, sha256: string): Promise<{ created: boolean }> {
  const target = blobFilePath(dataDir, sha256);
  try {
    const handle = await fs.open(tempPath, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.mkdir(path.dirname(target), { recursive: true });
    let created = true;
    try {
      await fs.link(tempPath, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') created = false;
      // File systems without hard links: rename is still atomic, only the "exactly one created" race is lost.
      else if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') await fs.rename(tempPath, target);
      else throw error;
    }
    await fs.rm(tempPath, { force: true });
    if (created) await syncDirectory(path.dirname(target));
    return { created };
  } catch (error) {
    await fs.rm(tempPath, { force: true });
    throw new AppError('INTERNAL', 'The uploaded file could not be stored; nothing was recorded. Please try again.', {}, { cause: error });
  }
}

/** Makes a new directory entry durable; a no-op where directories cannot be opened (Windows). */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await fs.open(directory, 'r');
    await handle.sync();
  } catch {
    // best effort: the file's data itself is already on disk
  } finally {
    await handle?.close();
  }
}

export async function putBlob(dataDir: string, bytes: Uint8Array): Promise<{ sha256: string; created: boolean }> {
  const sha256 = sha256Hex(bytes);
  const target = blobFilePath(dataDir, sha256);
  try {
    await fs.access(target);
    return { sha256, created: false };
  } catch {
    // not stored yet
  }
  await fs.mkdir(path.dirname(target), { recursive: true });
  const temp = `${target}.tmp-${process.pid}-${crypto.randomBytes(6).toString('hex')}`;
  try {
    await fs.writeFile(temp, bytes, { flag: 'wx' });
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw new AppError('INTERNAL', 'The uploaded file could not be stored; nothing was recorded. Please try again.', {}, { cause: error });
  }
  return { sha256, created: true };
}

export async function readBlob(dataDir: string, sha256: string): Promise<Buffer> {
  try {
    return await fs.readFile(blobFilePath(dataDir, sha256));
  } catch (error) {
    throw new AppError('NOT_FOUND', `Stored file ${sha256} is missing from the blob store.`, {}, { cause: error });
  }
}

export async function deleteBlob(dataDir: string, sha256: string): Promise<void> {
  await fs.rm(blobFilePath(dataDir, sha256), { force: true });
}
