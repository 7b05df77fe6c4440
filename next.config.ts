import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  // Native and WASM packages are loaded by Node at run time rather than bundled.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres'],
};

export default config;
