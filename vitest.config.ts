import path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { alias: { '~': path.resolve(import.meta.dirname) } },
  test: {
    include: ['**/*.test.ts'],
    // Private build folders (.next-<name>) hold a standalone copy of traced files, tests included.
    exclude: ['node_modules/**', '.next/**', '.next-*/**', '.image*/**', 'e2e/**'],
    environment: 'node',
    // next-auth imports `next/server` without an extension; let Vite resolve it (server/auth/sessions.test.ts).
    server: { deps: { inline: ['next-auth'] } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite instances are memory-hungry; two files at a time suits a 2-core machine.
    maxWorkers: 2,
  },
});
