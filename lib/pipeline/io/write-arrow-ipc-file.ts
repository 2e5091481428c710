import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AsyncByteQueue, type RecordBatch, RecordBatchFileWriter, type Schema } from 'apache-arrow';

/** Arrow's writer sink, replaced by synchronous writes to a file descriptor: nothing piles up in memory. */
class FileSink extends AsyncByteQueue {
  bytesWritten = 0;
  constructor(private readonly fd: number) {
    super();
  }
  override write(value: ArrayBufferView | ArrayBufferLike | ArrayLike<number>): void {
    const bytes = ArrayBuffer.isView(value) ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength) : new Uint8Array(value as ArrayBufferLike);
    let done = 0;
    while (done < bytes.length) done += fs.writeSync(this.fd, bytes, done, bytes.length - done);
    this.bytesWritten += bytes.length;
  }
  override close(): void {}
}

export type WriteArrowIpcFileResult = { out: string; rows: number; batches: number; sizeBytes: number };

/**
 * Writes record batches as an Arrow IPC *file* (`ARROW1` magic, footer) one batch at a time, so memory holds one
 * batch, not the table. The file is written under a temporary name beside `out` and renamed at the end; on any
 * error (including one thrown by the batch source) the temporary file is removed and nothing is left behind.
 * `onBatch` sees each batch after it is written (progress).
 */
export async function writeArrowIpcFile(out: string, schema: Schema, batches: AsyncIterable<RecordBatch>, onBatch?: (batch: RecordBatch, rowsSoFar: number) => void): Promise<WriteArrowIpcFileResult> {
  const target = path.resolve(out);
  const dir = path.dirname(target);
  // The first directory this call creates (if any), removed again on failure.
  const createdDir = await fs.promises.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(target)}.tmp-${randomBytes(6).toString('hex')}`);
  const fd = fs.openSync(tmp, 'w');
  let closed = false;
  try {
    const sink = new FileSink(fd);
    const writer = new RecordBatchFileWriter({ autoDestroy: false });
    writer.reset(sink, schema);
    let rows = 0;
    let count = 0;
    for await (const batch of batches) {
      writer.write(batch);
      rows += batch.numRows;
      count++;
      onBatch?.(batch, rows);
    }
    writer.finish();
    fs.closeSync(fd);
    closed = true;
    await fs.promises.rename(tmp, target);
    return { out: target, rows, batches: count, sizeBytes: sink.bytesWritten };
  } catch (error) {
    if (!closed) fs.closeSync(fd);
    await fs.promises.rm(tmp, { force: true });
    if (createdDir) await fs.promises.rm(createdDir, { recursive: true, force: true }).catch(() => {});
    throw error;
  }
}
