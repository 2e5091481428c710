import fs from 'node:fs';
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
};

/**
 * Downloads a URL to a file over HTTP(S), resumably: bytes go to `<file>.part`; an existing partial file is continued
 * with a `Range: bytes=<size>-` request, and a connection that drops mid-file is resumed the same way (up to
 * `maxReconnects` times). A server that ignores the range (200 instead of 206) makes the download restart from byte
 * 0, and the progress says so. Progress lines carry bytes, MB/s and the ETA.
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
    let response: Response;
    try {
      response = await fetch(options.url, { headers });
    } catch (cause) {
      if (reconnects < maxReconnects && size > 0) {
        reconnects++;
        progress(`${name}: connection failed at byte ${size}; resuming (attempt ${reconnects + 1} of ${maxReconnects + 1})`);
        continue;
      }
      throw unavailable(options.url, `cannot be reached (${causeMessage(cause)})`, cause);
    }
    if (response.status === 416 && size > 0) {
      // The partial file already holds every byte (or more): check its size against the server's.
      const range = /\/(\d+)$/.exec(response.headers.get('content-range') ?? '');
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
    if (!response.ok || !response.body) throw unavailable(options.url, `answered HTTP ${response.status}`);
    let append = false;
    if (size > 0 && response.status === 206) {
      const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
      if (!range || Number(range[1]) !== size) throw unavailable(options.url, `answered a range request for byte ${size} with "${response.headers.get('content-range')}"`);
      if (range[3] !== '*') total = Number(range[3]);
      append = true;
    } else {
      if (size > 0) {
        progress(`${name}: the server ignored the range request (HTTP ${response.status}); restarting from byte 0`);
        start = 'restarted';
      }
      size = 0;
      const length = Number(response.headers.get('content-length') ?? Number.NaN);
      if (Number.isFinite(length)) total = length;
    }
    const out = await fs.promises.open(partFile, append ? 'a' : 'w');
    let dropped: unknown = null;
    try {
      const reader = response.body.getReader();
      for (;;) {
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await reader.read();
        } catch (cause) {
          dropped = cause;
          break;
        }
        if (step.done) break;
        await out.write(step.value);
        size += step.value.byteLength;
        bytesThisRun += step.value.byteLength;
        const nowMs = performance.now();
        if (nowMs - lastReportMs >= (options.progressEveryMs ?? 1000)) {
          lastReportMs = nowMs;
          progress(formatProgress(name, size, total, bytesThisRun, (nowMs - startedMs) / 1000));
        }
      }
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
