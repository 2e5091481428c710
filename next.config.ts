import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // These run only on the server and carry wasm or native parts that must not be bundled.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'pg-boss', 'apache-arrow', 'bcryptjs'],
  poweredByHeader: false,
  experimental: { serverActions: { bodySizeLimit: '64mb' } },
};

export default nextConfig;
