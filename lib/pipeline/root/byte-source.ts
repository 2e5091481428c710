import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';

/**
 * Random access to the bytes of one file, local or remote. The ROOT reader asks only for the byte ranges it
 * needs (header, keys, streamer info, then the baskets of the requested branches), so memory and transfer grow
 * with the branches read, not with the file.
 */
export type ByteSource = {
  /** File name or URL, used in messages. */
  readonly name: string;
  readonly sizeBytes: number;
  /**
   * Exactly `length` bytes starting at `offset`; throws AppError when the range is outside the file. A result that
   * spans its whole ArrayBuffer belongs to the caller (see {@link ownsItsBuffer}); any other may share the source's memory.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
  /** Bytes returned by read() so far (for progress and the "streams baskets" guarantee). */
  readonly bytesRead: number;
};

function assertRange(name: string, sizeBytes: number, offset: number, length: number): void {
  if (!(Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0 && offset + length <= sizeBytes)) {
    throw new AppError('INVALID_DATASET', `${name}: byte range ${offset}+${length} lies outside the file (${sizeBytes} bytes); the file is truncated or corrupt.`, {
      file: name,
      expected: `range within ${sizeBytes} bytes`,
      found: `${offset}+${length}`,
    });
  }
}

/** A source over bytes already in memory (tests, small files). */
export function createMemoryByteSource(bytes: Uint8Array, name = 'memory'): ByteSource {
  let bytesRead = 0;
  return {
    name,
    sizeBytes: bytes.length,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset, length) {
      assertRange(name, bytes.length, offset, length);
      bytesRead += length;
      const view = bytes.subarray(offset, offset + length);
      // A read never hands out the source's own buffer whole: a caller may move a buffer it owns to another thread.
      return view.byteOffset === 0 && view.length === view.buffer.byteLength ? view.slice() : view;
    },
    async close() {},
  };
}

/** A local file read with positioned reads; nothing is read at open except the size. */
export async function openLocalByteSource(filePath: string): Promise<ByteSource> {
  const name = path.basename(filePath);
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(filePath, 'r');
  } catch (cause) {
    throw new AppError('NOT_FOUND', `Cannot open ${filePath}: ${(cause as NodeJS.ErrnoException).code ?? 'error'}; check the path.`, { file: filePath }, { cause });
  }
  const { size } = await handle.stat();
  let bytesRead = 0;
  return {
    name,
    sizeBytes: size,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset, length) {
      assertRange(name, size, offset, length);
      const out = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead: n } = await handle.read(out, done, length - done, offset + done);
        if (n === 0) break;
        done += n;
      }
      if (done !== length) throw new AppError('INVALID_DATASET', `${name}: short read at ${offset} (${done} of ${length} bytes); the file changed or is truncated.`, { file: name });
      bytesRead += length;
      return out;
    },
    async close() {
      await handle.close();
    },
  };
}

/**
 * A remote file read with HTTP range requests (`Range: bytes=a-b`); the server must answer 206 with exactly
 * the requested bytes. The size comes from a HEAD request (Content-Length) or, failing that, from the
 * Content-Range of a one-byte range request.
 */
export async function openHttpByteSource(url: string, options: { fetch?: typeof fetch } = {}): Promise<ByteSource> {
  const doFetch = options.fetch ?? fetch;
  const name = url;
  const failed = (message: string, cause?: unknown) => new AppError('BAD_REQUEST', `${url}: ${message}`, { file: url }, cause ? { cause } : undefined);
  let response: Response;
  try {
    response = await doFetch(url, { headers: { Range: 'bytes=0-0' } });
  } catch (cause) {
    throw failed(`cannot connect (${cause instanceof Error ? cause.message : String(cause)}).`, cause);
  }
  await response.arrayBuffer();
  const contentRange = response.headers.get('content-range');
  const total = contentRange ? Number(/\/(\d+)\s*$/.exec(contentRange)?.[1]) : Number.NaN;
  if (response.status !== 206 || !Number.isSafeInteger(total)) {
    throw failed(`the server does not serve byte ranges (status ${response.status}, Content-Range ${contentRange ?? 'missing'}); a ROOT file is read in ranges.`);
  }
  let bytesRead = 0;
  return {
    name,
    sizeBytes: total,
    get bytesRead() {
      return bytesRead;
    },
    async read(offset, length) {
      assertRange(name, total, offset, length);
      if (length === 0) return new Uint8Array(0);
      const res = await doFetch(url, { headers: { Range: `bytes=${offset}-${offset + length - 1}` } });
      const body = new Uint8Array(await res.arrayBuffer());
      if (res.status !== 206 || body.length !== length) {
        throw failed(`range ${offset}-${offset + length - 1} answered with status ${res.status} and ${body.length} bytes, expected 206 and ${length} bytes.`);
      }
      bytesRead += length;
      return body;
    },
    async close() {},
  };
}

/** `http://` and `https://` locations are read with range requests, anything else as a local path. */
export async function openByteSource(location: string): Promise<ByteSource> {
  return /^https?:\/\//i.test(location) ? openHttpByteSource(location) : openLocalByteSource(location);
}

/** Whether a read result spans its whole ArrayBuffer, which then belongs to the caller (it may be moved to a worker thread). */
export function ownsItsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.length === bytes.buffer.byteLength;
}
