import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { AppError } from '@/lib/shared/app-error';

export type DownloadResult = {
  file: string;
  sizeBytes: number;
  /** How the download started: from nothing, resumed from a partial file, or restarted because the server ignored the range. */
  start: 'new' | 'resumed' | 'restarted';
  /** Byte the first request resumed from (0 when new or restarted). */
  resumedFromByte: number;
  /** Connections that dropped mid-file and were resumed. */
  reconnects: number;
};

export type DownloadOptions = {
  url: string;
  /** Final path; bytes go to `<file>.part` first and are renamed at the end. */
  file: string;
  /** Size the record publishes, when known (to tell a complete partial file, and for the ETA). */
  expectedBytes?: number | null;
  /** Reconnections after a dropped connection before giving up (default 5). */
  maxReconnects?: number;
  onProgress?: (message: string) => void;
  /** Milliseconds between progress lines (default 1000). */
  progressEveryMs?: number;
  /** A connection silent this long (milliseconds, default 60,000) counts as dropped and is resumed. */
  idleTimeoutMs?: number;
};

/**
 * Downloads a URL to a file over HTTP(S), resumably: bytes go to `<file>.part`; an existing partial file is continued
 * with a `Range: bytes=<size>-` request, and a connection that drops mid-file is resumed the same way (up to
 * `maxReconnects` times). A server that ignores the range (200 instead of 206) makes the download restart from byte
 * 0, and the progress says so. Redirects are followed (up to five), and a connection that stays silent for
 * `idleTimeoutMs` counts as dropped. Progress lines carry bytes, MB/s and the ETA.
 *
 * @throws {AppError} `UNAVAILABLE` naming the URL when the server cannot be reached or answers with an error, or the
 *   connection keeps dropping; the partial file stays for the next attempt.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const progress = options.onProgress ?? (() => {});
  const name = path.basename(options.file);
  const partFile = `${options.file}.part`;
  await fs.promises.mkdir(path.dirname(options.file), { recursive: true });
  const maxReconnects = options.maxReconnects ?? 5;
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  let size = fs.existsSync(partFile) ? (await fs.promises.stat(partFile)).size : 0;
  let start: DownloadResult['start'] = size > 0 ? 'resumed' : 'new';
  const resumedFromByte = size;
  let reconnects = 0;
  let total = options.expectedBytes ?? null;
  if (size > 0) progress(`${name}: resuming the partial download from byte ${size}${total ? ` of ${total}` : ''}`);
  const startedMs = performance.now();
  let lastReportMs = 0;
  let bytesThisRun = 0;

  for (;;) {
    if (total !== null && size === total && size > 0) break;
    const headers: Record<string, string> = size > 0 ? { range: `bytes=${size}-` } : {};
    let response: http.IncomingMessage;
    try {
      response = await openUrl(options.url, headers, idleTimeoutMs);
    } catch (cause) {
      if (cause instanceof AppError) throw cause;
      if (reconnects < maxReconnects && size > 0) {
        reconnects++;
        progress(`${name}: connection failed at byte ${size}; resuming (attempt ${reconnects + 1} of ${maxReconnects + 1})`);
        continue;
      }
      throw unavailable(options.url, `cannot be reached (${causeMessage(cause)})`, cause);
    }
    const status = response.statusCode ?? 0;
    if (status === 416 && size > 0) {
      response.resume();
      // The partial file already holds every byte (or more): check its size against the server's.
      const range = /\/(\d+)$/.exec(response.headers['content-range'] ?? '');
      const serverTotal = range ? Number(range[1]) : total;
      if (serverTotal !== null && size === serverTotal) {
        total = serverTotal;
        break;
      }
      progress(`${name}: the partial file (${size} bytes) does not fit the server's file; restarting from byte 0`);
      await fs.promises.rm(partFile, { force: true });
      size = 0;
      start = 'restarted';
      continue;
    }
    if (status < 200 || status > 299) {
      response.destroy();
      throw unavailable(options.url, `answered HTTP ${status}`);
    }
    let append = false;
    if (size > 0 && status === 206) {
      const contentRange = response.headers['content-range'];
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(contentRange ?? '');
      if (!range || Number(range[1]) !== size) {
        response.destroy();
        throw unavailable(options.url, `answered a range request for byte ${size} with "${contentRange}"`);
      }
      if (range[3] !== '*') total = Number(range[3]);
      append = true;
    } else {
      if (size > 0) {
        progress(`${name}: the server ignored the range request (HTTP ${status}); restarting from byte 0`);
        start = 'restarted';
      }
      size = 0;
      const length = Number(response.headers['content-length'] ?? Number.NaN);
      if (Number.isFinite(length)) total = length;
    }
    const out = await fs.promises.open(partFile, append ? 'a' : 'w');
    let dropped: unknown;
    try {
      dropped = await receiveBody(response, out, (bytes) => {
        size += bytes;
        bytesThisRun += bytes;
        const nowMs = performance.now();
        if (nowMs - lastReportMs >= (options.progressEveryMs ?? 1000)) {
          lastReportMs = nowMs;
          progress(formatProgress(name, size, total, bytesThisRun, (nowMs - startedMs) / 1000));
        }
      });
    } finally {
      await out.close();
    }
    const isShort = total !== null && size < total;
    if (dropped === null && !isShort) break;
    if (reconnects >= maxReconnects) {
      throw unavailable(options.url, `kept dropping the connection (last at byte ${size}${total ? ` of ${total}` : ''}); run the same fetch again to resume from there`, dropped ?? undefined);
    }
    reconnects++;
    progress(`${name}: connection dropped at byte ${size}${total ? ` of ${total}` : ''}; resuming (attempt ${reconnects + 1} of ${maxReconnects + 1})`);
  }
  await fs.promises.rename(partFile, options.file);
  const seconds = (performance.now() - startedMs) / 1000;
  progress(`${formatProgress(name, size, total, bytesThisRun, seconds)} — done`);
  return { file: options.file, sizeBytes: size, start, resumedFromByte: start === 'resumed' ? resumedFromByte : 0, reconnects };
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** Bytes received but not yet on disk before the download stops reading from the socket (slow disks). */
const MAX_UNWRITTEN_BYTES = 16 * 1024 * 1024;

/**
 * One GET, following redirects. Node's own HTTP client rather than fetch: fetch's body stream discards the chunks it
 * has received but not yet handed over when the connection drops, and asks for compressed transfers it then
 * decompresses, so a byte count would not match the file's bytes; here every byte received is written and the
 * transfer is the file as stored (`accept-encoding: identity`). A socket silent for `idleTimeoutMs` counts as dropped.
 */
async function openUrl(url: string, headers: Record<string, string>, idleTimeoutMs: number): Promise<http.IncomingMessage> {
  let current = new URL(url);
  for (let hops = 0; ; hops++) {
    const response = await getOnce(current, url, headers, idleTimeoutMs);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || !location) return response;
    response.resume();
    if (hops >= MAX_REDIRECTS) throw unavailable(url, `redirected more than ${MAX_REDIRECTS} times (last to ${location})`);
    current = new URL(location, current);
  }
}

function getOnce(url: URL, original: string, headers: Record<string, string>, idleTimeoutMs: number): Promise<http.IncomingMessage> {
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
  if (!client) return Promise.reject(unavailable(original, `is not an http or https address (${url.protocol})`));
  return new Promise((resolve, reject) => {
    const request = client.get(url, { headers: { 'user-agent': 'hep-arena-pipeline', 'accept-encoding': 'identity', ...headers } }, resolve);
    request.setTimeout(idleTimeoutMs, () => request.destroy(new Error(`the server sent nothing for ${idleTimeoutMs / 1000} s`)));
    request.on('error', reject);
  });
}

/**
 * Writes the response body to `out` as it arrives, and resolves once every byte received is on disk: with null when
 * the body ended complete, with the cause when the connection dropped. A failed write rejects (the disk, not the
 * network, is at fault, so resuming would not help).
 */
function receiveBody(response: http.IncomingMessage, out: fs.promises.FileHandle, onWritten: (bytes: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    let writing: Promise<void> = Promise.resolve();
    let unwritten = 0;
    let failure: unknown = null;
    let writeFailure: unknown = null;
    response.on('data', (chunk: Buffer) => {
      unwritten += chunk.byteLength;
      if (unwritten > MAX_UNWRITTEN_BYTES) response.pause();
      writing = writing.then(async () => {
        if (writeFailure !== null) return;
        try {
          await writeAll(out, chunk);
        } catch (error) {
          writeFailure = error;
          response.destroy();
          return;
        }
        unwritten -= chunk.byteLength;
        onWritten(chunk.byteLength);
        if (response.isPaused() && unwritten <= MAX_UNWRITTEN_BYTES / 2) response.resume();
      });
    });
    response.on('error', (error) => {
      failure = error;
    });
    response.on('close', () => {
      const cause = response.complete ? null : (failure ?? new Error('the connection closed before the body was complete'));
      void writing.then(() => (writeFailure !== null ? reject(writeFailure) : resolve(cause)));
    });
  });
}

async function writeAll(out: fs.promises.FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.byteLength) {
    const { bytesWritten } = await out.write(chunk, offset, chunk.byteLength - offset);
    offset += bytesWritten;
  }
}

function formatProgress(name: string, bytes: number, total: number | null, bytesThisRun: number, seconds: number): string {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  const rate = bytesThisRun / Math.max(seconds, 1e-3);
  const share = total ? ` / ${mb(total)} MB (${((100 * bytes) / total).toFixed(1)} %)` : ' MB';
  const eta = total && rate > 0 ? `, ETA ${Math.max(0, Math.round((total - bytes) / rate))} s` : '';
  return `${name}: ${mb(bytes)}${total ? '' : ''}${share}, ${(rate / 1e6).toFixed(1)} MB/s${eta}`;
}

function causeMessage(cause: unknown): string {
  const inner = (cause as Error & { cause?: unknown })?.cause;
  return inner instanceof Error ? inner.message : cause instanceof Error ? cause.message : String(cause);
}

function unavailable(url: string, what: string, cause?: unknown): AppError {
  return new AppError('UNAVAILABLE', `${url} ${what}.`, { file: url }, cause === undefined ? undefined : { cause });
}
