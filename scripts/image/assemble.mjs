// Assembles the image's /app from a standalone Next build: `node scripts/image/assemble.mjs <distDir> <outDir>`.
// The Dockerfile runs exactly this, and so does the entrypoint test (server/observability/image.test.ts), so what
// the test starts is what the image ships. Plain Node plus esbuild (a devDependency), no network.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(import.meta.dirname, '..', '..');
const distDir = process.argv[2] ?? '.next';
const out = path.resolve(root, process.argv[3] ?? '.image');
const standalone = path.join(root, distDir, 'standalone');
if (!existsSync(path.join(standalone, 'server.js'))) {
  console.error(`✗ ${standalone}/server.js is missing: build first with output: 'standalone' (NEXT_DIST_DIR=${distDir} npx next build).`);
  process.exit(1);
}

rmSync(out, { recursive: true, force: true });
cpSync(standalone, out, { recursive: true });
// Next's file tracing pulls in test fixtures it saw referenced; the image has no use for them.
rmSync(path.join(out, 'test'), { recursive: true, force: true });
// Static assets are not part of the standalone folder: they go next to the server, where it serves them from.
cpSync(path.join(root, distDir, 'static'), path.join(out, distDir, 'static'), { recursive: true });
if (existsSync(path.join(root, 'public'))) cpSync(path.join(root, 'public'), path.join(out, 'public'), { recursive: true });
// Read at run time relative to the working directory: migrations (migrate role and start-up), and the product's
// Terraform modules, Helm values and ApplicationSet (the real engines). Not the manifests that deploy Plinth itself.
cpSync(path.join(root, 'db', 'migrations'), path.join(out, 'db', 'migrations'), { recursive: true });
rmSync(path.join(out, 'deploy'), { recursive: true, force: true });
cpSync(path.join(root, 'deploy'), path.join(out, 'deploy'), {
  recursive: true,
  filter: (src) => !src.endsWith('.test.ts') && !src.includes(`${path.sep}deploy${path.sep}plinth`) && !src.includes(`${path.sep}.terraform`),
});

// The worker and migrate roles: the same TypeScript `npm run worker` and `npm run db:migrate` run, bundled into
// one file each. Packages Next also keeps external (native, WASM, the Postgres driver) stay in node_modules,
// where the standalone trace already put them.
await build({
  entryPoints: { worker: path.join(root, 'scripts', 'worker.ts'), migrate: path.join(root, 'scripts', 'migrate.ts') },
  outdir: out,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  tsconfig: path.join(root, 'tsconfig.json'),
  external: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres'],
  // CommonJS dependencies inside an ESM bundle still call require() and use __dirname.
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import __p from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __p.dirname(__filename);",
  },
  logLevel: 'warning',
});
cpSync(path.join(root, 'scripts', 'image', 'entrypoint.mjs'), path.join(out, 'entrypoint.mjs'));
cpSync(path.join(root, 'scripts', 'image', 'forwarded-for.mjs'), path.join(out, 'forwarded-for.mjs'));
mkdirSync(path.join(out, distDir, 'cache'), { recursive: true });
console.log(`› image root assembled in ${path.relative(root, out) || out} (${distDir})`);
