import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { AppError } from '@/lib/shared/app-error';

/** sha256 (hex) of a file, read as a stream so that a file of any size is hashed in constant memory. */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of fs.createReadStream(filePath, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  } catch (cause) {
    throw new AppError('NOT_FOUND', `Cannot read ${filePath}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}; check the path.`, { file: filePath }, { cause });
  }
  return hash.digest('hex');
}
