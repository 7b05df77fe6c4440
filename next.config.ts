import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  // A separate build folder lets two builds (e.g. two people's e2e runs) coexist in one checkout.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  // The container image ships only the traced server (`<distDir>/standalone`), not node_modules; `next start` still
  // works on the same build (with a warning). See docs/production.md.
  output: 'standalone',
  // Trace from this folder, not from a parent that happens to hold another lockfile.
  outputFileTracingRoot: process.cwd(),
  // The image runs on a read-only root filesystem: revalidated pages stay in memory instead of being written next to
  // the server code (each replica regenerates its own anyway). Only .next/cache (image optimization) is a volume.
  experimental: { isrFlushToDisk: false },
  // The image-entrypoint test builds privately and `npm test` type-checks with tsc anyway: it skips the second check.
  typescript: { ignoreBuildErrors: process.env.PLINTH_BUILD_SKIP_TYPECHECK === '1' },
  // Native and WASM packages are loaded by Node at run time rather than bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres'],
  // Build assets bypass proxy.ts; they still must not be sniffed or framed. (Pages and APIs: see proxy.ts.)
  async headers() {
    return [{ source: '/_next/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] }];
  },
};

export default config;
