/**
 * Scale-out, proven: two web processes (`next start` on the production build) and three worker processes
 * (`npm run worker`) against one database on the Postgres server. A session made on web A works on web B;
 * deployments created through either converge while one worker is SIGTERMed (it exits cleanly, handing its
 * leases over) and another joins; a create on web B sends the NOTIFY the workers LISTEN for.
 *
 * Build: reuses PLINTH_TEST_BUILD_DIR (`npm test` builds once), else builds `.next-scaletest` while stale.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RECONCILE_CHANNEL } from '~/server/reconciler/store';
import { openTestDatabase, TEST_SECRET_KEY, type TestDb } from '~/test/harness';
import { workerPool } from '~/test/workers';
// @ts-expect-error plain .mjs helper shared with the start and test scripts
import { buildIsFresh } from '../lib.mjs';

const root = path.resolve(import.meta.dirname, '..', '..');
const ports = [32_000 + (process.pid % 400) * 2, 32_001 + (process.pid % 400) * 2];
const bases = ports.map((p) => `http://127.0.0.1:${p}`);
const AUTH_SECRET = randomBytes(32).toString('base64url');
const EMAIL = 'scale@out.test';
const PASSWORD = 'scale out password';
const workerEnv = { PLINTH_SANDBOX_LATENCY_MS: '300', PLINTH_SHUTDOWN_GRACE_MS: '20000', PLINTH_LOG_FORMAT: 'json' };

let t: TestDb;
const webs: ChildProcess[] = [];
const pool = workerPool({ quiet: true });

function startWeb(port: number, distDir: string): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: t.url!,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'plinth-web-')),
      AUTH_SECRET,
      PLINTH_SECRET_KEY: TEST_SECRET_KEY.toString('base64url'),
      PLINTH_IN_PROCESS_WORKER: '0',
      PLINTH_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (b: Buffer) => process.stderr.write(`[web ${port}] ${b}`));
  webs.push(child);
  return child;
}

async function healthy(base: string) {
  for (let i = 0; i < 300; i++) {
    if (await fetch(`${base}/api/health`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base} never answered /api/health`);
}

/** Signs in through Auth.js's credentials callback, as the sign-in form does; returns the session cookie. */
async function signIn(base: string): Promise<string> {
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const res = await fetch(`${base}/api/auth/callback/credentials`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: jar },
    body: new URLSearchParams({ email: EMAIL, password: PASSWORD, csrfToken, callbackUrl: `${base}/console` }),
  });
  const session = res.headers.getSetCookie().find((c) => c.startsWith('authjs.session-token='));
  if (!session) throw new Error(`sign-in on ${base} failed with ${res.status}`);
  return session.split(';')[0]!;
}

async function call<T>(base: string, cookie: string, kind: 'query' | 'mutation', proc: string, input: unknown): Promise<T> {
  const body = JSON.stringify(superjson.serialize(input));
  const res =
    kind === 'query'
      ? await fetch(`${base}/api/trpc/${proc}?input=${encodeURIComponent(body)}`, { headers: { cookie } })
      : await fetch(`${base}/api/trpc/${proc}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
  const json = (await res.json()) as { result?: { data: Parameters<typeof superjson.deserialize>[0] }; error?: unknown };
  if (!res.ok || !json.result) throw new Error(`${proc} on ${base}: ${res.status} ${JSON.stringify(json.error)}`);
  return superjson.deserialize<T>(json.result.data);
}

beforeAll(async () => {
  let distDir = process.env.PLINTH_TEST_BUILD_DIR;
  if (!distDir) {
    distDir = '.next-scaletest';
    if (!buildIsFresh(distDir)) {
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
  t = await openTestDatabase('postgres');
  // Plan caps are not what this test is about.
  await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null')`);
  for (const port of ports) startWeb(port, distDir);
  await Promise.all(bases.map(healthy));
}, 600_000);

afterAll(async () => {
  await pool.killAll();
  for (const w of webs) w.kill('SIGTERM');
  await t?.drop();
});

type Row = { id: string; name: string; phase: string };

describe('two web processes and three workers on one database', () => {
  it('serves one session on both, converges through worker churn, and wakes workers from either web', async () => {
    const [a, b] = bases as [string, string];
    // Sign up on B, sign in on A, use the session on B.
    const signUp = await fetch(`${b}/api/trpc/auth.signUp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(superjson.serialize({ email: EMAIL, password: PASSWORD, name: 'Scale' })),
    });
    expect(signUp.status).toBe(200);
    const cookie = await signIn(a);
    const org = await call<{ id: string }>(b, cookie, 'mutation', 'orgs.create', { name: 'Scale Out' });
    expect(await call<Array<{ id: string }>>(a, cookie, 'query', 'orgs.mine', undefined)).toEqual([expect.objectContaining({ id: org.id })]);

    const workers = [0, 1, 2].map(() => pool.spawn(t.url!, workerEnv));
    // Started means the SIGTERM handler is in place (scripts/worker.ts logs it once running).
    const started = async (w: (typeof workers)[number]) => {
      while (!w.output.some((l) => l.includes('started'))) {
        if (w.exitCode !== null) throw new Error(`worker exited early:\n${w.output.join('\n')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    await Promise.all(workers.map(started));
    const create = (base: string, i: number) =>
      call<Row>(base, cookie, 'mutation', 'deployments.create', { orgId: org.id, name: `scale-${i}`, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: `scale-out-${i}` });
    await Promise.all([0, 1, 2, 3, 4, 5].map((i) => create(i % 2 ? b : a, i)));

    // Once a worker holds a lease, SIGTERM it and start another in its place.
    const leased = async () => (await t.db.execute<{ n: number }>(sql`select count(*)::int as n from deployments where lease_owner is not null`)) as unknown as Array<{ n: number }>;
    while ((await leased())[0]!.n === 0) await new Promise((r) => setTimeout(r, 50));
    const leaving = workers[0]!;
    const exited = pool.terminate(leaving);
    const joining = pool.spawn(t.url!, workerEnv);
    expect(await exited).toBe(0);
    await started(joining);
    expect(leaving.output.filter((l) => /"level":(50|60)/.test(l))).toEqual([]);

    // A create on B sends the NOTIFY the workers LISTEN on.
    const listener = postgres(t.url!, { max: 1, onnotice: () => {} });
    let wake!: () => void;
    const notified = new Promise<void>((resolve) => (wake = resolve));
    await listener.listen(RECONCILE_CHANNEL, () => wake());
    await create(b, 6);
    await notified;
    await listener.end();

    for (;;) {
      const rows = await call<Row[]>(a, cookie, 'query', 'deployments.list', { orgId: org.id });
      expect(rows.filter((r) => r.phase === 'failed')).toEqual([]);
      if (rows.length === 7 && rows.every((r) => r.phase === 'ready')) break;
      await new Promise((r) => setTimeout(r, 300));
    }
    const byB = await call<Row[]>(b, cookie, 'query', 'deployments.list', { orgId: org.id });
    expect(byB.map((r) => r.phase)).toEqual(Array(7).fill('ready'));
  }, 120_000);
});
