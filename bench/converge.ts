/**
 * Reconciler throughput on the Postgres server with zero-latency sandbox engines: 1,000 deployments created
 * through the service layer while N `npm run worker` processes converge them, for N = 1 and 2. Prints one
 * `name: value unit` line per figure, and the server's own ceiling measured in the same run for comparison.
 *
 *   npm run bench            (BENCH_POSTGRES_URL to use another server, BENCH_DEPLOYMENTS to change 1000;
 *                             the database comes from the test harness, like every other benchmark's)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Database } from '~/db/client';
import { users } from '~/db/schema';
import { createOrganization } from '~/server/services/orgs';
import { createDeployment } from '~/server/services/deployments';
import { openTestDatabase } from '~/test/harness';
import { settledCommits } from './pg-stats';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const total = Number(process.env.BENCH_DEPLOYMENTS ?? 1000);
const root = path.resolve(import.meta.dirname, '..');
/** Every worker must share the key that seals deployment secrets. */
const BENCH_SECRET_KEY = randomBytes(32).toString('base64url');
const print = (name: string, value: number | string, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);

/** A new database on the server, migrated and seeded, through the test harness. */
async function freshDatabase(): Promise<{ database: Database; url: string; drop: () => Promise<void> }> {
  const database = await openTestDatabase('postgres', { server: serverUrl });
  return { database, url: database.url!, drop: database.drop };
}

function startWorker(url: string): Promise<ChildProcess> {
  const profile = process.env.BENCH_PROFILE_DIR ? [`--cpu-prof`, `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'plinth-bench-')),
      PLINTH_SANDBOX_LATENCY_MS: '0',
      PLINTH_SECRET_KEY: BENCH_SECRET_KEY,
      PLINTH_WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '32',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => {
      if (b.toString().includes('started')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

/**
 * Two runs per worker count. `backlog`: all deployments are created first, then the workers start; the time to
 * converge them all is the reconciler's throughput. `live`: workers run while 16 clients create deployments
 * across 20 organizations; create→ready latency is measured there.
 */
async function converge(workers: number, mode: 'backlog' | 'live') {
  const { database, url, drop } = await freshDatabase();
  const { db } = database;
  try {
    await db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null')`);
    const [user] = await db.insert(users).values({ email: `bench-${randomUUID()}@plinth.test`, name: 'bench' }).returning();
    const orgs = await Promise.all(Array.from({ length: 20 }, (_, i) => createOrganization(db, { userId: user!.id }, { name: `Bench ${i}` }, { orgsPerUser: Infinity })));
    const create = async () => {
      let next = 0;
      const started = performance.now();
      await Promise.all(
        Array.from({ length: 16 }, async () => {
          while (next < total) {
            const i = next++;
            const org = orgs[i % orgs.length]!;
            await createDeployment(db, { orgId: org.id, userId: user!.id }, { name: `bench-${i}`, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: `bench-${i}` }, { engines: { infra: 'sandbox', delivery: 'sandbox' }, pastDueGraceDays: 7, payments: { paymentsConfigured: false, freeDeploymentsPerUser: Infinity } });
          }
        }),
      );
      return performance.now() - started;
    };

    let children: ChildProcess[] = [];
    let createMs = 0;
    if (mode === 'backlog') createMs = await create();
    const commitsBefore = await settledCommits(db);
    const started = performance.now();
    children = await Promise.all(Array.from({ length: workers }, () => startWorker(url)));
    const workersUp = performance.now();
    if (mode === 'live') createMs = await create();
    for (;;) {
      const rows = (await db.execute(sql`select count(*)::int as n from deployments where phase = 'ready'`)) as unknown as Array<{ n: number }>;
      if (rows[0]!.n >= total) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const done = performance.now();
    // Counted after the workers have exited and their backends have reported (see bench/pg-stats.ts): read
    // while they still ran, the figure was 7.5 commits per deployment instead of 8.2.
    await Promise.all(children.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))));
    const commitsAfter = await settledCommits(db);

    const suffix = `${workers}_worker${workers > 1 ? 's' : ''}`;
    if (mode === 'backlog') {
      // Timed from the moment the workers are up: process start-up is not reconciler work.
      print(`create_rate`, Math.round(total / (createMs / 1000)), 'deployments/s');
      print(`converge_${suffix}`, Math.round(total / ((done - workersUp) / 1000)), 'deployments/s');
      print(`converge_${suffix}_with_startup_s`, ((done - started) / 1000).toFixed(2), 's');
      print(`transactions_per_deployment_${suffix}`, ((commitsAfter - commitsBefore) / total).toFixed(1), 'commits');
    } else {
      const latencies = ((await db.execute(sql`
        select extract(epoch from (e.at - d.created_at)) * 1000 as ms
        from deployments d join deployment_events e on e.deployment_id = d.id and e.step = 'ready'`)) as unknown as Array<{ ms: string }>)
        .map((r) => Number(r.ms))
        .sort((a, b) => a - b);
      print(`live_create_and_converge_${suffix}`, Math.round(total / ((done - workersUp) / 1000)), 'deployments/s');
      print(`create_to_ready_p50_ms_${suffix}`, Math.round(percentile(latencies, 50)));
      print(`create_to_ready_p95_ms_${suffix}`, Math.round(percentile(latencies, 95)));
    }
  } finally {
    await drop();
  }
}

/** The server's ceiling for small single-row write transactions from 16 connections, for 5 seconds. */
async function ceiling() {
  const { database, drop } = await freshDatabase();
  try {
    const { db } = database;
    await db.execute(sql`create table bench_ceiling (id bigint generated always as identity primary key, v text)`);
    const until = performance.now() + 5000;
    let n = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (performance.now() < until) {
          await db.execute(sql`insert into bench_ceiling (v) values ('x')`);
          n++;
        }
      }),
    );
    print('pg_ceiling_single_insert', Math.round(n / 5), 'transactions/s');
  } finally {
    await drop();
  }
}

await ceiling();
for (const workers of [1, 2]) {
  await converge(workers, 'backlog');
  await converge(workers, 'live');
}
