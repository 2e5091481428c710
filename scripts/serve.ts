/**
 * The web server: Next's request handler behind a plain Node HTTP server, so that each request gets what Next alone
 * cannot give it. `npm start`, `npm run serve` and the cluster all serve through here.
 * - The client's address, from the TCP peer (and X-Forwarded-For only when the peer is in TRUSTED_PROXIES), handed to
 *   the app in one request header that a client cannot set (rate limits count per client).
 * - A page request whose query string is malformed is answered 400 with the reason before anything renders (the table
 *   of lib/shared/query/route-queries.ts; route handlers check their own and answer in JSON).
 * - A Content-Security-Policy with a fresh nonce per request, which Next puts on the scripts it renders; a cached copy
 *   rendered once for every visitor gets the hashes of its own inline scripts instead (lib/server/http/content-security-policy.ts).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import next from 'next';
import { env } from '@/lib/env';
import { CLIENT_ADDRESS_HEADER, parseTrustedProxies, resolveClientAddress } from '@/lib/server/http/client-address';
import { createCspNonce, hashPolicy, inlineScriptHashes, noncePolicy, resourcePolicy } from '@/lib/server/http/content-security-policy';
import { findQueryProblem, isPageRoute, matchRoute } from '@/lib/shared/query/route-queries';

const root = path.resolve(__dirname, '..');

const isHtml = (res: http.ServerResponse) => String(res.getHeader('content-type') ?? '').startsWith('text/html');

/** Whether Next answers with a prerendered copy (ISR or static) rather than a page rendered for this request. */
function isPrerendered(res: http.ServerResponse): boolean {
  return isHtml(res) && (res.getHeader('x-nextjs-cache') !== undefined || res.getHeader('x-nextjs-prerender') !== undefined);
}

/** The text of a body as it was before Next compressed it. */
function decodedText(body: Buffer, encoding: string): string {
  if (encoding === 'gzip') return zlib.gunzipSync(body).toString('utf8');
  if (encoding === 'br') return zlib.brotliDecompressSync(body).toString('utf8');
  if (encoding === 'deflate') return zlib.inflateSync(body).toString('utf8');
  return body.toString('utf8');
}

/**
 * The hash policy of a cached HTML copy, by the digest of the bytes sent: every visitor of a board gets the same copy
 * until it is re-rendered, so its inline scripts are decompressed and hashed once per copy rather than per response.
 */
const policyByBody = new Map<string, string>();
function cachedHashPolicy(body: Buffer, encoding: string): string {
  const key = `${encoding}:${createHash('sha256').update(body).digest('base64')}`;
  let policy = policyByBody.get(key);
  if (policy === undefined) {
    policy = hashPolicy(inlineScriptHashes(decodedText(body, encoding)));
    policyByBody.set(key, policy);
    if (policyByBody.size > 256) policyByBody.delete(policyByBody.keys().next().value as string);
  }
  return policy;
}

/**
 * Settles each response's policy once its headers are known: the request's nonce policy for a page rendered for it;
 * for a prerendered HTML copy, the body is held back until complete, and the hashes of its inline scripts become the
 * policy; anything that is not HTML gets the resource policy.
 */
function withResponsePolicy(res: http.ServerResponse): void {
  const originalWriteHead = res.writeHead.bind(res) as (...args: unknown[]) => http.ServerResponse;
  const originalWrite = res.write.bind(res) as (...args: unknown[]) => boolean;
  const originalEnd = res.end.bind(res) as (...args: unknown[]) => http.ServerResponse;
  let holding: Buffer[] | null = null;
  let heldHead: unknown[] | null = null;
  let isDecided = false;
  const decide = () => {
    if (isDecided) return;
    isDecided = true;
    if (isPrerendered(res)) holding = [];
    else if (!isHtml(res)) res.setHeader('Content-Security-Policy', resourcePolicy());
  };
  const toBuffer = (chunk: unknown, encoding?: unknown) =>
    Buffer.isBuffer(chunk) ? chunk : typeof chunk === 'string' ? Buffer.from(chunk, (typeof encoding === 'string' ? encoding : 'utf8') as BufferEncoding) : Buffer.from(chunk as Uint8Array);
  res.writeHead = ((...args: unknown[]) => {
    const headers = args.find((a, i) => i > 0 && a && typeof a === 'object') as Record<string, unknown> | undefined;
    if (headers) for (const [k, v] of Object.entries(headers)) res.setHeader(k, v as string);
    decide();
    if (holding) {
      heldHead = [args[0]];
      return res;
    }
    return originalWriteHead(...args);
  }) as typeof res.writeHead;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    decide();
    if (holding) {
      holding.push(toBuffer(chunk, rest[0]));
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return originalWrite(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    decide();
    if (!holding) return originalEnd(chunk, ...rest);
    if (chunk !== undefined && typeof chunk !== 'function') holding.push(toBuffer(chunk, rest[0]));
    const body = Buffer.concat(holding);
    res.setHeader('Content-Security-Policy', cachedHashPolicy(body, String(res.getHeader('content-encoding') ?? '')));
    res.setHeader('Content-Length', body.length);
    if (heldHead) originalWriteHead(heldHead[0]);
    return originalEnd(body);
  }) as typeof res.end;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The 400 page of a malformed query: what was wrong, and the way back. */
function answerBadQuery(res: http.ServerResponse, message: string, nonce: string): void {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Bad request · HEP Arena</title></head><body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem"><h1>Bad request</h1><p data-testid="bad-query">${escapeHtml(message)}</p><p><a href="/">HEP Arena home</a></p></body></html>`;
  res.writeHead(400, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': noncePolicy(nonce) });
  res.end(html);
}

async function main() {
  const trusted = parseTrustedProxies(env.TRUSTED_PROXIES);
  const app = next({ dev: false, dir: root, hostname: env.HOST, port: env.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();
  const server = http.createServer((req, res) => {
    req.headers[CLIENT_ADDRESS_HEADER] = resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusted);
    const nonce = createCspNonce();
    const policy = noncePolicy(nonce);
    if (req.method === 'GET' || req.method === 'HEAD') {
      const url = new URL(req.url ?? '/', 'http://request.invalid');
      const route = url.search && !url.pathname.startsWith('/_next/') ? matchRoute(url.pathname) : null;
      const problem = route && isPageRoute(route) ? findQueryProblem(route, url.searchParams) : null;
      if (problem) {
        answerBadQuery(res, problem.message, nonce);
        return;
      }
    }
    // Next reads the nonce from the request's policy; whatever policy a client sent is replaced.
    delete req.headers['content-security-policy-report-only'];
    req.headers['content-security-policy'] = policy;
    res.setHeader('Content-Security-Policy', policy);
    withResponsePolicy(res);
    handle(req, res).catch((error: unknown) => {
      console.error('[hep-arena] request failed:', error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(env.PORT, env.HOST, () => console.log(`[hep-arena] listening on http://${env.HOST}:${env.PORT}`));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      server.close();
      process.exit(0);
    });
  }
}

main().catch((error) => {
  console.error('[hep-arena] could not start the web server:', error instanceof Error ? error.message : error);
  process.exit(1);
});
