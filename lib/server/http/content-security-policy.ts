import crypto from 'node:crypto';

/**
 * The Content-Security-Policy of every response, built by the web server (scripts/serve.ts) for each request. Scripts
 * run only when the server vouched for them: on pages rendered for this request by a per-request nonce that Next puts
 * on its own script tags ('strict-dynamic' extends the trust to the chunks they load), on the cached copies rendered
 * once for every visitor (which cannot carry a per-request nonce) by the sha256 of each inline script Next rendered
 * into the copy. Never 'unsafe-inline'. WebAssembly compilation is allowed for the TF.js WASM backend.
 */
const baseDirectives = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];

/** 128 random bits, base64: unguessable and fresh for every request. */
export function createCspNonce(): string {
  return crypto.randomBytes(16).toString('base64');
}

/** The policy of a page rendered for this request: Next tags its scripts with `nonce`. */
export function noncePolicy(nonce: string): string {
  return [`script-src 'nonce-${nonce}' 'strict-dynamic' 'wasm-unsafe-eval'`, ...baseDirectives].join('; ');
}

/**
 * The policy of everything that is not an HTML document (scripts, JSON, WebAssembly): it governs only a worker started
 * from such a script (the baseline trainer), which loads same-origin scripts and compiles WebAssembly.
 */
export function resourcePolicy(): string {
  return ["script-src 'self' 'wasm-unsafe-eval'", ...baseDirectives].join('; ');
}

/**
 * The policy of a cached copy: same-origin script files, plus exactly the inline scripts it holds, by hash. A script
 * that was not in the copy when Next rendered it does not run.
 */
export function hashPolicy(scriptHashes: readonly string[]): string {
  const hashes = [...new Set(scriptHashes)].map((h) => `'sha256-${h}'`);
  return [["script-src 'self'", ...hashes, "'wasm-unsafe-eval'"].join(' '), ...baseDirectives].join('; ');
}

/**
 * The base64 sha256 of the text of every inline `<script>` (one without `src`) of an HTML document, in order, as a CSP
 * hash source expects it. Only Next's own renderer produces the documents this is applied to.
 */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  const pattern = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;
  for (let match = pattern.exec(html); match; match = pattern.exec(html)) {
    const attributes = match[1] ?? '';
    if (/\bsrc\s*=/i.test(attributes)) continue;
    hashes.push(crypto.createHash('sha256').update(match[2] ?? '', 'utf8').digest('base64'));
  }
  return hashes;
}
