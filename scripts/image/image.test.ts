/**
 * The container image without a Docker engine: assemble the image root exactly as the Dockerfile does
 * (scripts/image/assemble.mjs on a standalone build), then start its entrypoint the way the image's
 * ENTRYPOINT/CMD do — `node /app/entrypoint.mjs <role>` with only the environment the image and the manifests
 * give it — against a fresh database on the Postgres server.
 *
 * Build cost: `npm test` builds once before the integration tests and passes the folder in PLINTH_TEST_BUILD_DIR;
 * run alone, this file builds into .next-imagetest, and reuses that build while no source is newer.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDb } from '~/test/harness';
// @ts-expect-error plain .mjs helper shared with the start and test scripts
import { buildIsFresh } from '../lib.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const port = 31_000 + (process.pid % 400) * 2;
const metricsPort = port + 1;
const base = `http://127.0.0.1:${port}`;
const secrets = { AUTH_SECRET: randomBytes(32).toString('base64url'), PLINTH_SECRET_KEY: randomBytes(32).toString('base64url') };
const METRICS_TOKEN = 'scrape-token-for-tests';
/** The image's USER. As root, the test drops to it, so the code is read-only to the process as in the image. */
const IMAGE_UID = 10001;
const asImageUser = process.getuid?.() === 0;

let t: TestDb;
let imageRoot: string;
let dataDir: string;

/** The environment the Dockerfile's ENV and the Kubernetes manifests give a container, nothing inherited. */
function imageEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATA_DIR: dataDir,
    HOME: dataDir,
    PORT: String(port),
    PLINTH_METRICS_PORT: String(metricsPort),
    HOSTNAME: 'plinth-web-7d9f-abcde', // what Kubernetes sets: the entrypoint must not bind to it
    DATABASE_URL: t.url!,
    PLINTH_METRICS_TOKEN: METRICS_TOKEN,
    PLINTH_SANDBOX_LATENCY_MS: '0',
    PLINTH_SHUTDOWN_DELAY_S: '1',
    ...secrets,
    ...extra,
  };
}

type Proc = { child: ChildProcess; out: () => string; exited: Promise<number | null> };

function startRole(role: string, env: Record<string, string>): Proc {
  const argv = ['node', path.join(imageRoot, 'entrypoint.mjs'), role];
  const [cmd, ...args] = asImageUser ? ['setpriv', `--reuid=${IMAGE_UID}`, `--regid=${IMAGE_UID}`, '--clear-groups', ...argv] : argv;
  const child: ChildProcess = spawn(cmd!, args, { cwd: '/', env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code: number | null) => resolve(code)));
  return { child, out: () => out, exited };
}

async function waitFor(url: string, proc: Proc, timeoutMs = 60_000): Promise<Response> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null) throw new Error(`exited ${proc.child.exitCode} before answering:\n${proc.out()}`);
    try {
      return await fetch(url);
    } catch {
      if (Date.now() > until) throw new Error(`no answer from ${url}:\n${proc.out()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

async function waitForOutput(proc: Proc, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!pattern.test(proc.out())) {
    if (Date.now() > until) throw new Error(`no ${pattern} in:\n${proc.out()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const jsonLines = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

beforeAll(async () => {
  const started = Date.now();
  let distDir = process.env.PLINTH_TEST_BUILD_DIR;
  if (!distDir) {
    distDir = '.next-imagetest';
    if (!buildIsFresh(distDir)) {
      // Next rewrites tsconfig.json's include for a custom distDir; put it back so the checkout stays clean.
      const tsconfig = readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
      const r = spawnSync('npx', ['next', 'build'], {
        cwd: root,
        env: { ...process.env, NEXT_DIST_DIR: distDir, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', PLINTH_BUILD_SKIP_TYPECHECK: '1' },
        encoding: 'utf8',
      });
      writeFileSync(path.join(root, 'tsconfig.json'), tsconfig);
      if (r.status !== 0) throw new Error(`next build failed:\n${r.stdout}\n${r.stderr}`);
    }
  }
  imageRoot = mkdtempSync(path.join(tmpdir(), 'plinth-image-'));
  const a = spawnSync('node', [path.join(root, 'scripts/image/assemble.mjs'), distDir, imageRoot], { cwd: root, encoding: 'utf8' });
  if (a.status !== 0) throw new Error(`assemble failed:\n${a.stdout}\n${a.stderr}`);
  dataDir = mkdtempSync(path.join(tmpdir(), 'plinth-image-data-'));
  // Like the image: code owned by root and readable by all; writable only DATA_DIR and Next's cache (the emptyDirs).
  chmodSync(imageRoot, 0o755);
  if (asImageUser) {
    chownSync(dataDir, IMAGE_UID, IMAGE_UID);
    chownSync(path.join(imageRoot, distDir, 'cache'), IMAGE_UID, IMAGE_UID);
  }
  t = await openTestDatabase('postgres');
  console.log(`image root ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${distDir})`);
}, 900_000);

afterAll(async () => {
  await t?.drop();
  if (imageRoot) rmSync(imageRoot, { recursive: true, force: true });
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('the image entrypoint', () => {
  it('migrate: applies migrations and seeds, logs JSON, exits 0', async () => {
    const p = startRole('migrate', imageEnv());
    expect(await p.exited, p.out()).toBe(0);
    const line = jsonLines(p.out()).find((l) => String(l.msg).startsWith('migrated'));
    expect(line).toMatchObject({ level: 'info', database: 'postgres' });
  });

  it('web: live, ready with every check, metrics behind the token, request ids; SIGTERM drains then exits 0', async () => {
    const p = startRole('web', imageEnv());
    try {
      const live = await waitFor(`${base}/api/health/live`, p);
      expect(live.status).toBe(200);
      expect(await live.json()).toMatchObject({ status: 'ok' });

      const ready = await fetch(`${base}/api/health/ready`);
      const body = (await ready.json()) as { checks: Record<string, { ok: boolean; detail: string }> };
      expect(ready.status, JSON.stringify(body)).toBe(200);
      expect(body.checks.database).toEqual({ ok: true, detail: 'postgres' });
      expect(body.checks.migrations!.ok).toBe(true);
      expect(body.checks.engines).toEqual({ ok: true, detail: 'sandbox/sandbox' });
      expect((await fetch(`${base}/api/health`)).status).toBe(200);

      // A tRPC call gets a request id back, which its log line carries.
      const call = await fetch(`${base}/api/trpc/auth.me`, { headers: { 'x-request-id': 'req-from-ingress-1' } });
      expect(call.headers.get('x-request-id')).toBe('req-from-ingress-1');

      expect((await fetch(`${base}/metrics`)).status).toBe(401);
      expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-some-length' } })).status).toBe(401);
      const scrape = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(scrape.status).toBe(200);
      const text = await scrape.text();
      expect(text).toContain('plinth_reconciler_queue_depth 0');
      expect(text).toContain('plinth_metrics_database_up 1');
      expect(text).toMatch(/^process_cpu_seconds_total \d/m);
      expect(text).toMatch(/^plinth_http_request_duration_seconds_count\{procedure="auth\.me",method="GET",status="\d+"\} 1$/m);

      const logs = jsonLines(p.out());
      expect(logs.find((l) => l.msg === 'request' && l.requestId === 'req-from-ingress-1')).toMatchObject({ procedures: ['auth.me'] });
      expect(logs.find((l) => l.msg === 'database ready')).toMatchObject({ level: 'info', database: 'postgres' });

      p.child.kill('SIGTERM');
      await waitForOutput(p, /"msg":"draining/);
      // Draining: still answering, but no longer ready, so the Service stops routing here.
      const draining = await fetch(`${base}/api/health/ready`);
      expect(draining.status).toBe(503);
      expect(((await draining.json()) as { checks: { shutdown: { ok: boolean } } }).checks.shutdown.ok).toBe(false);
      expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
      expect(await p.exited).toBe(0);
      // Nothing tried to write where the image's user cannot (the code), as on a read-only root filesystem.
      expect(p.out()).not.toMatch(/EACCES|EROFS|EPERM/);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('web refuses to start on a Postgres server without AUTH_SECRET, and says what to set', async () => {
    const p = startRole('web', imageEnv({ AUTH_SECRET: '' }));
    try {
      expect(await p.exited).toBe(1);
      expect(p.out()).toMatch(/AUTH_SECRET is required with DATABASE_URL.*Generate one with/);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('worker: refuses without PLINTH_SECRET_KEY; otherwise serves /live and /metrics and drains on SIGTERM', async () => {
    const refused = startRole('worker', imageEnv({ PLINTH_SECRET_KEY: '' }));
    expect(await refused.exited).toBe(1);
    expect(refused.out()).toContain('PLINTH_SECRET_KEY is required with DATABASE_URL');

    const p = startRole('worker', imageEnv());
    try {
      expect((await waitFor(`http://127.0.0.1:${metricsPort}/live`, p)).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).status).toBe(401);
      const scrape = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(await scrape.text()).toContain('plinth_outbox_backlog 0');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(0);
      const logs = jsonLines(p.out());
      // The shared stop path (server/reconciler/lifecycle.ts): passes get their grace period, then the process exits 0.
      expect(logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['worker started', 'stopping: passes in flight may finish within the grace period', 'stopped']));
      expect(logs.find((l) => l.msg === 'worker started')?.workerId).toMatch(/\S/);
    } finally {
      p.child.kill('SIGKILL');
    }
  });

  it('refuses an unknown role with usage', async () => {
    const p = startRole('serve', imageEnv());
    expect(await p.exited).toBe(64);
    expect(p.out()).toContain('use web, worker or migrate');
  });
});
