import type { NextConfig } from 'next';
import { publicBoardRewrites } from './lib/shared/board-query';

/**
 * Security headers on every response. The Content-Security-Policy is set per request by the web server
 * (scripts/serve.ts), because it carries a fresh nonce (or, for cached copies, the hashes of their inline scripts).
 */
const securityHeaders = [
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
];

const nextConfig: NextConfig = {
  // These run only on the server and carry wasm or native parts that must not be bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pg-boss', 'apache-arrow', 'bcryptjs'],
  poweredByHeader: false,
  // A cached board older than a minute (the first visit after a quiet spell) is rendered afresh before it is shown,
  // never served old while a new copy renders; younger copies refresh in the background every 5 s, and a new score
  // expires them on every server at once (lib/server/leaderboards/watch-board-changes.ts).
  expireTime: 60,
  // Files (predictions, baselines, the training page's model) go to the streaming upload endpoint, never through a
  // server action, so the default 1 MB limit of server actions is enough and no experimental option is needed.
  // Leaderboard pages (every viewer) and the leaderboard API without a session or token are served the cached copy
  // (app/(public)/public-boards, app/api/v1/public-boards); the address stays.
  async rewrites() {
    return { beforeFiles: publicBoardRewrites(), afterFiles: [], fallback: [] };
  },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
