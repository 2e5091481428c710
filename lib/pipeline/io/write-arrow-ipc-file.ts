import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { RecordBatch, Schema } from 'apache-arrow';
import { createArrowFileEncoder } from '@/lib/shared/arrow';

export type WriteArrowIpcFileResult = { out: string; rows: number; batches: number; sizeBytes: number };

/**
 * Writes record batches as an Arrow IPC *file* (`ARROW1` magic, footer) one batch at a time with the shared
 * encoder of lib/shared/arrow, each batch's bytes going to disk before the next is asked for, so memory holds one
 * batch, not the table. The file is written under a temporary name beside `out` and renamed at the end; on any error
 * (including one thrown by the batch source) the temporary file is removed and nothing is left behind. `onBatch`
 * sees each batch after it is written (progress).
 */
export async function writeArrowIpcFile(out: string, schema: Schema, batches: AsyncIterable<RecordBatch>, onBatch?: (batch: RecordBatch, rowsSoFar: number) => void): Promise<WriteArrowIpcFileResult> {
  const target = path.resolve(out);
  const dir = path.dirname(target);
  // The first directory this call creates (if any), removed again on failure.
  const createdDir = await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  const fd = fs.openSync(tmp, 'w');
  let closed = false;
  let sizeBytes = 0;
  const append = (chunks: readonly Uint8Array[]) => {
    for (const bytes of chunks) {
      let done = 0;
      while (done < bytes.length) done += fs.writeSync(fd, bytes, done, bytes.length - done);
      sizeBytes += bytes.length;
    }
  };
  try {
    const encoder = createArrowFileEncoder(schema);
    let rows = 0;
    let count = 0;
    for await (const batch of batches) {
      append(encoder.write(batch));
      rows += batch.numRows;
      count++;
      onBatch?.(batch, rows);
    }
    append(encoder.finish());
    fs.closeSync(fd);
    closed = true;
    await fs.promises.rename(tmp, target);
    return { out: target, rows, batches: count, sizeBytes };
  } catch (error) {
    if (!closed) fs.closeSync(fd);
    await fs.promises.rm(tmp, { force: true });
    if (createdDir) await fs.promises.rm(createdDir, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}
