// `npm test`: every test. Installs what it needs (dependencies, Chromium), then type-checks, lints, runs the
// integration tests on PGlite and on the Postgres server, builds the app and runs the browser journeys.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDependencies, root, run } from './lib.mjs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const pgUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const timings = {};

ensureDependencies();

if (!existsSync(chromium)) {
  console.log('› installing Chromium from Debian packages');
  const apt = (...args) => (process.getuid?.() === 0 ? run('apt-get', args) : run('sudo', ['apt-get', ...args]));
  apt('update', '-qq');
  apt('install', '-y', '-qq', 'chromium');
}

// The Kubernetes manifests test renders deploy/plinth with `kubectl kustomize` (offline; no cluster needed).
if (spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status !== 0) {
  console.log('› installing kubectl from Debian packages');
  const apt = (...args) => (process.getuid?.() === 0 ? run('apt-get', args) : run('sudo', ['apt-get', ...args]));
  apt('update', '-qq');
  apt('install', '-y', '-qq', 'kubectl');
}

const pg = spawnSync('node', ['-e', `require('postgres')(${JSON.stringify(pgUrl)},{max:1,connect_timeout:5})\`select 1\`.then(()=>process.exit(0),e=>{console.error(e.message);process.exit(1)})`], { cwd: root, stdio: 'inherit' });
if (pg.status !== 0) {
  console.error(`✗ The Postgres server at ${pgUrl} is not reachable. Start it, or point TEST_POSTGRES_URL at one.`);
  process.exit(1);
}

// Not test-results/: Playwright empties that folder when it starts.
const reports = path.join(root, 'reports');
mkdirSync(reports, { recursive: true });

timings.typecheck = run('npx', ['tsc', '--noEmit']);
timings.lint = run('npx', ['eslint', '.']);
// Built before the integration tests: the image-entrypoint test (scripts/image/image.test.ts) reuses this
// standalone build instead of making its own, and the browser journeys run on it afterwards.
const distDir = process.env.NEXT_DIST_DIR || '.next';
timings.build = run('npx', ['next', 'build'], { env: { NODE_ENV: 'production', PLINTH_BUILD_SKIP_TYPECHECK: '1' } });
timings.integration = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${path.join(reports, 'vitest.json')}`], {
  env: { PLINTH_TEST_BUILD_DIR: distDir },
});
timings.e2e = run('npx', ['playwright', 'test'], { env: { CHROMIUM_PATH: chromium } });

const vitest = JSON.parse(readFileSync(path.join(reports, 'vitest.json'), 'utf8'));
const pw = JSON.parse(readFileSync(path.join(reports, 'playwright.json'), 'utf8'));
const passed = vitest.numPassedTests + (pw.stats?.expected ?? 0);
const failed = vitest.numFailedTests + (pw.stats?.unexpected ?? 0) + (pw.stats?.flaky ?? 0);
const skipped = vitest.numPendingTests + vitest.numTodoTests + (pw.stats?.skipped ?? 0);
console.log(`\ntimings: ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}s`).join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
