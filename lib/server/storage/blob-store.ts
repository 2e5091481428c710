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

function blobPath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new AppError('BAD_REQUEST', `"${sha256}" is not a sha256 hex digest.`);
  return path.join(dataDir, 'blobs', sha256.slice(0, 2), sha256);
}

export async function putBlob(dataDir: string, bytes: Uint8Array): Promise<{ sha256: string; created: boolean }> {
  const sha256 = sha256Hex(bytes);
  const target = blobPath(dataDir, sha256);
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
    return await fs.readFile(blobPath(dataDir, sha256));
  } catch (error) {
    throw new AppError('NOT_FOUND', `Stored file ${sha256} is missing from the blob store.`, {}, { cause: error });
  }
}

export async function deleteBlob(dataDir: string, sha256: string): Promise<void> {
  await fs.rm(blobPath(dataDir, sha256), { force: true });
}
