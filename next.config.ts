import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  // A separate build folder lets two builds (e.g. two people's e2e runs) coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // Native and WASM packages are loaded by Node at run time rather than bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres'],
  // Build assets bypass proxy.ts; they still must not be sniffed or framed. (Pages and APIs: see proxy.ts.)
  async headers() {
    return [{ source: '/_next/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] }];
  },
};

export default config;
