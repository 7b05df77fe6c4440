/**
 * The signed-in read path over HTTP, on a production build over the Postgres server: `/api/health`, the
 * deployments list (an org with 20 deployments) and the deployment detail, each with `wrk` (50 connections,
 * 30 s; `apt-get install -y wrk`), the session cookie obtained by signing in through /api/auth (credentials).
 * Then the staff reads at 50k deployments (bench/read-path-db.ts). Prints `name: value unit` lines.
 *
 *   npm run bench   (BENCH_BUILD_DIR: an existing `next build` dist dir to reuse, default: builds `.next-read`;
 *                    BENCH_DURATION_S: seconds per endpoint, default 30; BENCH_POSTGRES_URL)
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import superjson from 'superjson';
import { openDatabase } from '~/db/client';
import { seed } from '~/db/seed';
import { createOrganization } from '~/server/services/orgs';
import { signUp } from '~/server/services/users';
import { staffReads } from './read-path-db';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const duration = Number(process.env.BENCH_DURATION_S ?? 30);
const root = path.resolve(import.meta.dirname, '..');
const distDir = process.env.BENCH_BUILD_DIR ?? '.next-read';
const port = 3190 + Math.floor(Math.random() * 9);
const base = `http://127.0.0.1:${port}`;
const print = (name: string, value: number | string, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
const EMAIL = 'bench@read-path.test';
const PASSWORD = 'bench read path password';

function wrk(url: string, cookie?: string, seconds = duration): { rps: number; p99Ms: number; errors: number } {
  const args = ['-t2', '-c50', `-d${seconds}s`, '--latency', ...(cookie ? ['-H', `Cookie: ${cookie}`] : []), url];
  const out = spawnSync('wrk', args, { encoding: 'utf8' });
  if (out.error && (out.error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('wrk is not installed: apt-get install -y wrk');
  if (out.status !== 0) throw new Error(`wrk failed: ${out.stderr || out.error}`);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out.stdout)?.[1]);
  const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out.stdout);
  const p99Ms = p99 ? Number(p99[1]) * (p99[2] === 'us' ? 0.001 : p99[2] === 's' ? 1000 : 1) : NaN;
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out.stdout)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out.stdout);
  return { rps, p99Ms, errors: non2xx + (socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0) };
}

/** Signs in the way a browser does: CSRF token, then the credentials callback; returns the session cookie. */
async function signIn(): Promise<string> {
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
  if (!session) throw new Error(`sign-in failed: ${res.status}`);
  return session.split(';')[0]!;
}

async function main() {
  if (!process.env.BENCH_BUILD_DIR) {
    // Next rewrites tsconfig.json's include for a custom distDir; put it back so the checkout stays clean.
    const tsconfig = readFileSync(path.join(root, 'tsconfig.json'), 'utf8');
    const build = spawnSync('npx', ['next', 'build'], { cwd: root, env: { ...process.env, NEXT_DIST_DIR: distDir, NEXT_TELEMETRY_DISABLED: '1' }, stdio: 'inherit' });
    writeFileSync(path.join(root, 'tsconfig.json'), tsconfig);
    if (build.status !== 0) throw new Error('next build failed');
  }
  const name = `plinth_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const u = new URL(serverUrl);
  u.pathname = `/${name}`;
  const database = await openDatabase(u.toString());
  // BENCH_PROFILE_DIR: the web server writes a V8 CPU profile there when it exits (open it in Chrome DevTools).
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const server = spawn(process.execPath, [...profile, 'node_modules/next/dist/bin/next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: distDir,
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: u.toString(),
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'plinth-bench-')),
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      PLINTH_SECRET_KEY: randomBytes(32).toString('base64url'),
      PLINTH_IN_PROCESS_WORKER: '0',
      PLINTH_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true,
  });
  try {
    const { db } = database;
    await seed(db);
    const user = await signUp(db, { email: EMAIL, password: PASSWORD, name: 'Bench', ip: '198.51.100.1' });
    const org = await createOrganization(db, { userId: user.id }, { name: 'Bench Org' }, { orgsPerUser: 1 });
    const spec = { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 512, replicas: 1, persistence: false, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } };
    await db.execute(sql`insert into deployments (org_id, name, plan_id, spec, phase, infra_engine, delivery_engine, observed_generation, outputs)
      select ${org.id}, 'bench-' || i, (select id from plans where slug = 'starter'), ${JSON.stringify(spec)}::jsonb, 'ready', 'sandbox', 'sandbox', 1,
        jsonb_build_object('host', 'bench-' || i || '.example', 'port', 6379, 'tls', true)
      from generate_series(1, 20) i`);
    const [one] = await db.execute<{ id: string }>(sql`select id from deployments where org_id = ${org.id} limit 1`).then((r) => ('rows' in r ? (r.rows as { id: string }[]) : (r as unknown as { id: string }[])));
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 240) throw new Error('the server did not become healthy');
      await new Promise((r) => setTimeout(r, 500));
    }
    const cookie = await signIn();
    const q = (proc: string, input: unknown) => `${base}/api/trpc/${proc}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`;
    const listUrl = q('deployments.list', { orgId: org.id });
    const getUrl = q('deployments.get', { orgId: org.id, deploymentId: one!.id });
    for (const url of [listUrl, getUrl]) {
      const r = await fetch(url, { headers: { cookie } });
      if (!r.ok) throw new Error(`${url} answered ${r.status}: ${await r.text()}`);
    }
    // Warm-up, not measured: the first seconds of each route run cold code (JIT, module loading) and would make
    // whichever is measured first look slower.
    for (const [url, c] of [[`${base}/api/health`, undefined], [listUrl, cookie], [getUrl, cookie]] as const) wrk(url, c, 5);
    const health = wrk(`${base}/api/health`);
    const list = wrk(listUrl, cookie);
    const detail = wrk(getUrl, cookie);
    const readRps = (list.rps + detail.rps) / 2;
    print('api_health_rps', health.rps.toFixed(0), 'req/s');
    print('api_health_p99_ms', health.p99Ms.toFixed(1), 'ms');
    print('api_list_rps', list.rps.toFixed(0), 'req/s');
    print('api_list_p99_ms', list.p99Ms.toFixed(1), 'ms');
    print('api_get_rps', detail.rps.toFixed(0), 'req/s');
    print('api_get_p99_ms', detail.p99Ms.toFixed(1), 'ms');
    print('api_read_rps', readRps.toFixed(0), 'req/s');
    print('api_read_p99_ms', Math.max(list.p99Ms, detail.p99Ms).toFixed(1), 'ms');
    print('api_read_vs_health', (readRps / health.rps).toFixed(2));
    print('api_errors', health.errors + list.errors + detail.errors);
  } finally {
    if (server.pid) process.kill(-server.pid, 'SIGTERM');
    await database.close();
    await new Promise((r) => setTimeout(r, 1000));
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
  const staff = await staffReads(serverUrl);
  print('tenant_list_50k_ms', staff.tenantListMs.toFixed(1), 'ms');
  print('reconciler_health_50k_ms', staff.reconcilerHealthMs.toFixed(1), 'ms');
}

await main();
