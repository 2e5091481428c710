import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from './download-file';

const bytes = new Uint8Array(256_000);
for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
const half = Math.floor(bytes.length / 2);
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'download-file-'));
const requests: string[] = [];
const stalled = new Set<http.ServerResponse>();
let stalledOnce = false;
let base = '';

/** Serves `bytes` at /file (Range honoured), redirects /hop/<n> n times, and stalls the first /stall after half. */
const server = http.createServer((request, response) => {
  const url = request.url ?? '/';
  requests.push(`${url} ${request.headers.range ?? ''}`.trim());
  const hop = /^\/hop\/(\d+)$/.exec(url);
  if (hop) {
    const left = Number(hop[1]);
    response.writeHead(302, { location: left > 0 ? `/hop/${left - 1}` : '/file' }).end();
    return;
  }
  const from = Number(/^bytes=(\d+)-$/.exec(request.headers.range ?? '')?.[1] ?? 0);
  if (from > 0) response.writeHead(206, { 'content-length': bytes.length - from, 'content-range': `bytes ${from}-${bytes.length - 1}/${bytes.length}` });
  else response.writeHead(200, { 'content-length': bytes.length });
  if (url === '/stall' && !stalledOnce) {
    stalledOnce = true;
    // Half the file, then silence with the connection left open.
    response.write(Buffer.from(bytes.subarray(0, half)));
    stalled.add(response);
    return;
  }
  response.end(Buffer.from(bytes.subarray(from)));
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const response of stalled) response.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(tmpRoot, { recursive: true, force: true });
});

describe('downloadFile', () => {
  it('follows redirects to the file', async () => {
    const file = path.join(tmpRoot, 'redirected.bin');
    const result = await downloadFile({ url: `${base}/hop/3`, file });
    expect(result).toMatchObject({ sizeBytes: bytes.length, start: 'new', reconnects: 0 });
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
  });

  it('refuses a chain of more than five redirects, naming the address and nothing is written', async () => {
    const file = path.join(tmpRoot, 'looping.bin');
    await expect(downloadFile({ url: `${base}/hop/9`, file })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(new RegExp(`^${base}/hop/9 redirected more than 5 times \\(last to /hop/3\\)`)),
    });
    expect(fs.existsSync(file)).toBe(false);
  });

  it('treats a connection that goes silent mid-file as dropped and resumes it from the last byte written', async () => {
    const file = path.join(tmpRoot, 'stalled.bin');
    const messages: string[] = [];
    requests.length = 0;
    const result = await downloadFile({ url: `${base}/stall`, file, idleTimeoutMs: 300, onProgress: (m) => messages.push(m) });
    expect(result).toMatchObject({ sizeBytes: bytes.length, start: 'new', reconnects: 1 });
    expect(messages.join('\n')).toContain(`connection dropped at byte ${half} of ${bytes.length}; resuming`);
    expect(requests).toEqual(['/stall', `/stall bytes=${half}-`]);
    expect(new Uint8Array(fs.readFileSync(file))).toEqual(bytes);
  });

  it('says an address that is not http or https cannot be downloaded', async () => {
    await expect(downloadFile({ url: 'ftp://example.org/file', file: path.join(tmpRoot, 'ftp.bin') })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: 'ftp://example.org/file is not an http or https address (ftp:).',
    });
  });
});
