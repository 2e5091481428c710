import 'server-only';
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, isAppError } from '@/lib/shared/app-error';
import { formatByteSize } from '@/lib/shared/formats/format-byte-size';
import { maxPredictionFileBytes } from '@/lib/shared/formats/prediction-target';

/** An upload written to a temporary file; `discard` deletes it (idempotent), `adoptBlob` moves it into the blob store. */
export type ReceivedUpload = { tempPath: string; sha256: string; sizeBytes: number; discard(): Promise<void> };

type UploadBody = Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

/**
 * Streams an upload to `<dataDir>/uploads/tmp-<random>` while hashing it, holding one chunk in memory at a time.
 * On any failure the temporary file is deleted before the error is thrown, so nothing is left behind.
 *
 * @throws {AppError} `PAYLOAD_TOO_LARGE` as soon as the body passes `maxBytes` (default 1 GiB; the rest is not read),
 *   `BAD_REQUEST` when the body stream fails (the client went away; the
 *   cause is kept), `INTERNAL` when the file cannot be written.
 */
export async function receiveUpload(dataDir: string, body: UploadBody, options: { fileName: string; maxBytes?: number }): Promise<ReceivedUpload> {
  const { fileName } = options;
  const maxBytes = options.maxBytes ?? maxPredictionFileBytes;
  const directory = path.join(dataDir, 'uploads');
  const tempPath = path.join(directory, `tmp-${crypto.randomBytes(12).toString('hex')}`);
  const discard = () => fs.rm(tempPath, { force: true });
  const hash = crypto.createHash('sha256');
  const chunks = toAsyncIterator(body);
  let sizeBytes = 0;
  try {
    await fs.mkdir(directory, { recursive: true });
    const handle = await fs.open(tempPath, 'wx');
    try {
      for (;;) {
        let step: IteratorResult<Uint8Array>;
        try {
          step = await chunks.next();
        } catch (error) {
          throw new AppError('BAD_REQUEST', `The upload of ${fileName} was interrupted before it was complete; nothing was stored. Please upload it again.`, { file: fileName }, { cause: error });
        }
        if (step.done) break;
        const chunk = step.value;
        if (!(chunk instanceof Uint8Array)) {
          throw new AppError('BAD_REQUEST', `The upload of ${fileName} did not arrive as bytes; nothing was stored.`, { file: fileName });
        }
        sizeBytes += chunk.length;
        if (sizeBytes > maxBytes) {
          throw new AppError(
            'PAYLOAD_TOO_LARGE',
            `${fileName} is larger than the limit of ${maxBytes} bytes (${formatByteSize(maxBytes)}); compress it with gzip or save it as Parquet, then upload it again.`,
            { file: fileName, expected: `at most ${maxBytes} bytes`, found: `more than ${maxBytes} bytes` },
          );
        }
        hash.update(chunk);
        for (let offset = 0; offset < chunk.length; ) offset += (await handle.write(chunk, offset, chunk.length - offset)).bytesWritten;
      }
    } finally {
      await handle.close();
    }
  } catch (error) {
    // Stop the client's stream (a too-large or failed upload is not read further) and leave nothing behind.
    await chunks.return?.().catch(() => {});
    await discard();
    if (isAppError(error)) throw error;
    throw new AppError('INTERNAL', `${fileName} could not be saved for checking; nothing was stored. Please try again.`, { file: fileName }, { cause: error });
  }
  return { tempPath, sha256: hash.digest('hex'), sizeBytes, discard };
}

function toAsyncIterator(body: UploadBody): AsyncIterator<Uint8Array> {
  if (body instanceof Uint8Array) return (async function* () { yield body; })();
  if (Symbol.asyncIterator in body) return body[Symbol.asyncIterator]();
  const reader = body.getReader();
  return {
    next: async () => {
      const { done, value } = await reader.read();
      return done ? { done: true, value: undefined } : { done: false, value };
    },
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}
