import type { NextConfig } from 'next';
import { publicBoardRewrites } from './lib/shared/board-query';

/**
 * Security headers on every response. Scripts: our own, Next's inline bootstrap, and WebAssembly compilation for
 * the TF.js WASM backend; JSROOT is served from this origin. Frames: none (no clickjacking).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

const nextConfig: NextConfig = {
  // These run only on the server and carry wasm or native parts that must not be bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pg-boss', 'apache-arrow', 'bcryptjs'],
  poweredByHeader: false,
  experimental: { serverActions: { bodySizeLimit: '64mb' } },
  // Visitors without a session get the cached copy of a leaderboard (app/(public)/public-boards); the address stays.
  async rewrites() {
    return { beforeFiles: publicBoardRewrites(), afterFiles: [], fallback: [] };
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
