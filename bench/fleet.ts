/**
 * Fleet rollout throughput on the Postgres server with zero-latency sandbox engines: 10,000 ready deployments in
 * 200 organizations (maintenance windows spread over the week and over time zones), then a critical rollout with
 * its deadline now (canary 1%, waves of 25%, concurrency 2,000) run by 2 `npm run worker` processes.
 *
 *   tsx bench/fleet.ts    (BENCH_POSTGRES_URL: the server, default postgres://postgres@127.0.0.1:5432/postgres;
 *                          BENCH_FLEET_DEPLOYMENTS (10000), BENCH_FLEET_ORGS (200), BENCH_FLEET_WORKERS (2),
 *                          BENCH_WORKER_CONCURRENCY (64), BENCH_ROLLOUT_INTERVAL_MS (1000))
 *
 * Prints fleet_upgrade_10k_s (rollout created → every deployment ready on the target), the rate, and commits per
 * deployment (all commits in the database over that span, read after the workers exited; bench/pg-stats.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { deployments, organizations, plans, users } from '~/db/schema';
import { createRollout } from '~/server/services/fleet/rollouts';
import { addUpgradePath, publishVersion } from '~/server/services/fleet/versions';
import { createOrganization } from '~/server/services/orgs';
import { openTestDatabase } from '~/test/harness';
import { settledCommits } from './pg-stats';

const serverUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const total = Number(process.env.BENCH_FLEET_DEPLOYMENTS ?? 10_000);
const orgCount = Number(process.env.BENCH_FLEET_ORGS ?? 200);
const workerCount = Number(process.env.BENCH_FLEET_WORKERS ?? 2);
const root = path.resolve(import.meta.dirname, '..');
const SECRET = randomBytes(32).toString('base64url');
const print = (name: string, value: number | string, unit = '') => console.log(`${name}: ${value}${unit ? ` ${unit}` : ''}`);
const zones = ['Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'UTC', 'Australia/Sydney', 'America/Los_Angeles', 'Asia/Kolkata'];

function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'plinth-bench-')),
      PLINTH_SANDBOX_LATENCY_MS: '0',
      PLINTH_SECRET_KEY: SECRET,
      PLINTH_WORKER_CONCURRENCY: process.env.BENCH_WORKER_CONCURRENCY ?? '64',
      PLINTH_ROLLOUT_INTERVAL_MS: process.env.BENCH_ROLLOUT_INTERVAL_MS ?? '1000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(child), 20_000);
    child.stdout!.on('data', (b: Buffer) => {
      if (!b.toString().includes('started')) return;
      clearTimeout(timer);
      resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
  });
}
const stop = (children: ChildProcess[]) => Promise.all(children.map((c) => new Promise((r) => (c.once('exit', r), c.kill('SIGTERM')))));

async function count(db: import('~/db/client').Db, where: ReturnType<typeof sql>) {
  const rows = (await db.execute(sql`select count(*)::int as n from deployments where ${where}`)) as unknown as Array<{ n: number }>;
  return rows[0]!.n;
}
async function until(what: string, probe: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const database = await openTestDatabase('postgres', { server: serverUrl });
const { db } = database;
try {
  await db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null')`);
  const [user] = await db.insert(users).values({ email: `bench-${randomUUID()}@plinth.test`, name: 'bench', staffRole: 'admin' }).returning();
  const orgs: Array<{ id: string }> = [];
  for (let i = 0; i < orgCount; i++) orgs.push(await createOrganization(db, { userId: user!.id }, { name: `Fleet ${i}` }, { orgsPerUser: Infinity }));
  // Windows spread over the week, the day and the zones: the deadline (now) overrides them all.
  for (const [i, o] of orgs.entries()) {
    const window = { days: [i % 7], start: `${String((i * 5) % 24).padStart(2, '0')}:00`, durationMinutes: 120, timeZone: zones[i % zones.length]! };
    await db.update(organizations).set({ maintenanceWindow: window }).where(eq(organizations.id, o.id));
  }
  const [starter] = await db.select().from(plans).where(eq(plans.slug, 'starter'));
  const spec = { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 1024, replicas: 0, persistence: true, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } };
  // Setup, not measured: pending rows the workers converge to ready (so the sandbox holds real resources).
  for (let i = 0; i < total; i += 2000) {
    await db.insert(deployments).values(
      Array.from({ length: Math.min(2000, total - i) }, (_, k) => ({
        orgId: orgs[(i + k) % orgs.length]!.id,
        name: `fleet-${i + k}`,
        planId: starter!.id,
        spec,
        infraEngine: 'sandbox',
        deliveryEngine: 'sandbox',
        nextReconcileAt: sql`now()`,
      })),
    );
  }
  let children = await Promise.all(Array.from({ length: workerCount }, () => startWorker(database.url!)));
  const setupStart = performance.now();
  await until('fleet ready', async () => (await count(db, sql`phase = 'ready'`)) >= total, 600_000);
  console.error(`[fleet] setup: ${total} deployments ready in ${((performance.now() - setupStart) / 1000).toFixed(0)} s (not measured)`);
  await stop(children);

  const staff = { userId: user!.id, staffRole: 'admin' as const };
  await publishVersion(db, staff, { version: '7.4.2', moduleRef: 'redis-7.4.2', chartVersion: '20.3.1', notes: 'Security fix.', severity: 'critical', status: 'available' });
  await addUpgradePath(db, staff, { fromVersion: '7.2.5', toVersion: '7.4.2' });
  const before = await settledCommits(db);

  children = await Promise.all(Array.from({ length: workerCount }, () => startWorker(database.url!)));
  const started = performance.now();
  const now = new Date();
  await createRollout(db, staff, {
    targetVersion: '7.4.2',
    selector: {},
    noticeDays: 0,
    deadline: now,
    maxDefers: 0,
    canary: { size: 1, unit: 'percent' },
    wavePercent: 25,
    maxConcurrency: 2000,
    failureBudgetPct: 2,
  });
  await until('fleet upgraded', async () => (await count(db, sql`phase = 'ready' and observed_generation = generation and observed_spec->>'version' = '7.4.2'`)) >= total, 600_000);
  const seconds = (performance.now() - started) / 1000;
  await stop(children);
  const after = await settledCommits(db);

  print('fleet_upgrade_10k_s', seconds.toFixed(1), 's');
  print('fleet_upgrade_deployments_per_s', Math.round(total / seconds), 'deployments/s');
  print('fleet_commits_per_deployment', ((after - before) / total).toFixed(1), 'commits');
} finally {
  await database.drop();
}
