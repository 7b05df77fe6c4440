/**
 * What continuous resync costs when nothing happens: 10,000 ready deployments (their sandbox resources in place,
 * so every resync finds no drift and a healthy app), two `npm run worker` processes on the Postgres server,
 * PLINTH_RESYNC_INTERVAL=10m. Over 60 s it prints the database's statements per second (transactions committed
 * in the bench database, which every autocommit statement is) and each worker's CPU from /proc.
 *
 *   npm run bench   (BENCH_POSTGRES_URL, BENCH_DEPLOYMENTS=10000, BENCH_WINDOW_S=60, BENCH_RESYNC_INTERVAL=10m)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openTestDatabase } from '~/test/harness';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const total = Number(process.env.BENCH_DEPLOYMENTS ?? 10_000);
const windowS = Number(process.env.BENCH_WINDOW_S ?? 60);
const interval = process.env.BENCH_RESYNC_INTERVAL ?? '10m';
const intervalS = Number(/^(\d+)m$/.exec(interval)?.[1] ?? 10) * 60;
const root = path.resolve(import.meta.dirname, '..');
const SECRET_KEY = randomBytes(32).toString('base64url');
const print = (name: string, value: number | string, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
const rows = <T>(r: unknown) => (Array.isArray(r) ? (r as T[]) : (r as { rows: T[] }).rows);

function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'plinth-bench-')),
      PLINTH_SANDBOX_LATENCY_MS: '0',
      PLINTH_SECRET_KEY: SECRET_KEY,
      PLINTH_RESYNC_INTERVAL: interval,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      if (out.includes('started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${out}`)));
  });
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat (clock ticks of 1/100 s). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function main() {
  const database = await openTestDatabase('postgres', { server: serverUrl });
  const { db } = database;
  const workers: ChildProcess[] = [];
  try {
    // The world, in set-based SQL: one org, `total` ready deployments at generation 1 with their sandbox
    // resources, each due at a random point of the interval (what converging over time leaves behind).
    await db.execute(sql`insert into organizations (name, slug) values ('Idle', 'idle')`);
    await db.execute(sql`
      insert into deployments (org_id, name, plan_id, spec, generation, observed_generation, observed_spec, phase, conditions, outputs, finalizers, infra_engine, delivery_engine, next_reconcile_at)
      select o.id, 'idle-' || i, p.id, s.spec, 1, 1, s.spec, 'ready',
             '[{"type":"InfraReady","status":true,"observedGeneration":1,"at":"2026-01-01T00:00:00Z"},{"type":"AppSynced","status":true,"observedGeneration":1,"at":"2026-01-01T00:00:00Z"},{"type":"AppHealthy","status":true,"observedGeneration":1,"at":"2026-01-01T00:00:00Z"}]'::jsonb,
             jsonb_build_object('host', 'idle-' || i || '.sandbox.plinth.dev', 'port', 6379, 'tls', true), '["infra","app"]'::jsonb, 'sandbox', 'sandbox',
             now() + random() * make_interval(secs => ${intervalS})
      from generate_series(1, ${total}) as i
      cross join (select id from organizations where slug = 'idle') o
      cross join (select id from plans where slug = 'starter') p
      cross join (select '{"plan":"starter","version":"7.2.5","region":"eu-west-1","memoryMb":256,"replicas":0,"persistence":false,"config":{"maxmemoryPolicy":"noeviction","timeoutSeconds":0}}'::jsonb as spec) s`);
    await db.execute(sql`
      insert into sandbox_resources (deployment_id, kind, spec, generation)
      select d.id, 'infra', jsonb_build_object('tier', 'shared', 'region', 'eu-west-1', 'memoryMb', 256, 'replicas', 0, 'persistence', false), 1 from deployments d
      union all
      select d.id, 'app', '{}'::jsonb, 1 from deployments d`);
    await db.execute(sql`analyze`);

    workers.push(await startWorker(database.url!), await startWorker(database.url!));
    await new Promise((r) => setTimeout(r, 5000)); // start-up work (migration check, first billing run) settles

    const commits = async () => Number(rows<{ n: string }>(await db.execute(sql`select xact_commit + xact_rollback as n from pg_stat_database where datname = current_database()`))[0]!.n);
    const c0 = await commits();
    const cpu0 = workers.map((w) => cpuSeconds(w.pid!));
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, windowS * 1000));
    const elapsed = (Date.now() - t0) / 1000;
    const c1 = await commits();
    const cpu1 = workers.map((w) => cpuSeconds(w.pid!));
    // The two statistics reads above are the bench's own; pg_stat_database lags by up to its flush interval.
    const queriesPerS = (c1 - c0 - 2) / elapsed;
    const cpu = cpu1.map((c, i) => ((c - cpu0[i]!) / elapsed) * 100);
    const resynced = rows<{ n: string }>(await db.execute(sql`select count(*) as n from deployments where updated_at >= now() - make_interval(secs => ${elapsed + 1})`))[0]!.n;
    const events = rows<{ n: string }>(await db.execute(sql`select count(*) as n from deployment_events`))[0]!.n;

    print('idle_resync_deployments', total);
    print('idle_resync_interval', intervalS, 's');
    print('idle_resyncs_per_s', (Number(resynced) / elapsed).toFixed(1));
    print('idle_resync_queries_per_s', queriesPerS.toFixed(1));
    print('idle_worker_cpu_percent', Math.max(...cpu).toFixed(2), '%');
    print('idle_resync_events_written', events);
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(null) : w.once('exit', r)))));
    await database.drop();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
