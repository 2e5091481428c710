import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that serves `bytes` at `url`, answering `Range: bytes=a-b` with 206 and exactly those bytes
 * (and a request without a range with the whole file), recording every range asked for. For tests of remote reads.
 */
export async function startRangeServer(bytes: Uint8Array, fileName: string): Promise<{ url: string; ranges: string[]; close(): Promise<void> }> {
  const ranges: string[] = [];
  const server = http.createServer((req, res) => {
    const match = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
    if (!match) {
      res.writeHead(200, { 'Content-Length': bytes.length });
      res.end(bytes);
      return;
    }
    const start = Number(match[1]);
    const end = Math.min(Number(match[2]), bytes.length - 1);
    ranges.push(`${start}-${end}`);
    res.writeHead(206, { 'Content-Range': `bytes ${start}-${end}/${bytes.length}`, 'Content-Length': end - start + 1 });
    res.end(bytes.subarray(start, end + 1));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/${fileName}`,
    ranges,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
