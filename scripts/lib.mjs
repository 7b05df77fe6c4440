// Helpers shared by the start and test scripts. Plain Node, no dependencies: they run before `npm ci`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '..');

export function run(cmd, args, opts = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts, env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', ...opts.env } });
  if (r.status !== 0) {
    console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
  return Date.now() - started;
}

/** Installs dependencies when node_modules is missing or older than the lockfile. */
export function ensureDependencies() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && statSync(marker).mtimeMs >= statSync(path.join(root, 'package-lock.json')).mtimeMs) return;
  // Not `npm ci`: registries that serve only this platform's optional binaries (as ours does) leave the other
  // platforms' entries out of the lockfile, and `npm ci` refuses such a lockfile. `npm install` honours it as is.
  console.log('› installing dependencies (npm install)');
  run('npm', ['install', '--no-audit', '--no-fund']);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Tests are not part of the build: editing one must not force a rebuild.
    if (entry.name === 'node_modules' || entry.name.startsWith('.') || /\.test\.tsx?$/.test(entry.name)) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Whether `<distDir>/BUILD_ID` is newer than every source file (a build that needs no redoing). */
export function buildIsFresh(distDir = '.next') {
  const buildId = path.join(root, distDir, 'BUILD_ID');
  if (!existsSync(buildId)) return false;
  const sources = ['app', 'components', 'server', 'db', 'lib', 'public']
    .map((d) => path.join(root, d))
    .filter(existsSync)
    .concat(['next.config.ts', 'package-lock.json', 'instrumentation.ts'].map((f) => path.join(root, f)));
  const newest = Math.max(...sources.map((s) => (statSync(s).isDirectory() ? newestMtime(s) : statSync(s).mtimeMs)));
  return statSync(buildId).mtimeMs >= newest;
}

/** Builds the app when there is no build or a source file is newer than it. */
export function ensureBuild({ force = false } = {}) {
  if (!force && buildIsFresh('.next')) return;
  console.log('› building the app (next build)');
  run('npx', ['next', 'build']);
}
