/**
 * The SIGKILL/fault scenario, shared by the crash test (small) and bench/chaos.ts (full size): worker processes
 * on the Postgres server killed every few seconds while creates, resizes and deletes arrive through the service
 * layer, with injected engine faults. Returns what the simulated cloud looks like once everything is quiet.
 */
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { users } from '~/db/schema';
import { createOrganization } from '~/server/services/orgs';
import { createDeployment, deleteDeployment, updateDeployment } from '~/server/services/deployments/commands';
import type { TestDb } from './harness';
import { databaseUrl, workerPool } from './workers';

export type ChaosOptions = {
  creates: number;
  deletes: number;
  resizes: number;
  workers: number;
  /** Kill a random worker every killMinMs..killMaxMs (and start a new one). */
  killMinMs: number;
  killMaxMs: number;
  transientFaultRate: number;
  latencyMs: number;
  leaseMs: number;
  /** Give up waiting for quiet after this long (the stated convergence bound). */
  quietTimeoutMs: number;
  log?: (m: string) => void;
};

const rows = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type ChaosResult = {
  lastRequestToQuietMs: number;
  kills: number;
  orphaned: number;
  createdTwice: number;
  mismatched: number;
  notConverged: number;
};

/** Deployments not yet where their spec says, and what the cloud holds that it should not. */
export async function chaosAudit(t: TestDb) {
  const [state] = rows<{ pending: number; orphaned: number; twice: number; mismatched: number }>(
    await t.db.execute(sql`select
      (select count(*)::int from deployments d where not ((d.phase = 'ready' and d.observed_generation = d.generation)
        or (d.phase = 'deleted'))) as pending,
      (select count(*)::int from sandbox_resources s left join deployments d on d.id = s.deployment_id
        where s.destroyed_at is null and case when s.kind = 'snapshot'
          -- a snapshot is kept by its own record while it is being taken or is available (a deletion's final one)
          then not exists (select 1 from snapshots n where n.id = s.deployment_id and n.status in ('pending', 'available'))
          else (d.id is null or d.deletion_requested_at is not null and d.phase = 'deleted') end) as orphaned,
      (select count(*)::int from (select 1 from sandbox_resources group by deployment_id, kind having count(*) > 1) x) as twice,
      (select count(*)::int from deployments d where d.phase = 'ready' and (
        not exists (select 1 from sandbox_resources s where s.deployment_id = d.id and s.kind = 'infra' and s.destroyed_at is null
          and (s.spec->>'memoryMb')::int = (d.spec->>'memoryMb')::int)
        or not exists (select 1 from sandbox_resources s where s.deployment_id = d.id and s.kind = 'app' and s.destroyed_at is null
          and (s.spec->>'memoryMb')::int = (d.spec->>'memoryMb')::int))) as mismatched`),
  );
  return state!;
}

export async function runChaos(t: TestDb, o: ChaosOptions): Promise<ChaosResult> {
  const log = o.log ?? (() => {});
  // The database's own URL (the benchmark's may be on another server than the tests').
  const url = t.url ?? (await databaseUrl(t));
  const pool = workerPool({ quiet: !process.env.CHAOS_VERBOSE });
  const env = {
    PLINTH_SANDBOX_LATENCY_MS: String(o.latencyMs),
    PLINTH_SANDBOX_TRANSIENT_FAULT_RATE: String(o.transientFaultRate),
    PLINTH_LEASE_MS: String(o.leaseMs),
    PLINTH_WORKER_CONCURRENCY: '32',
    PLINTH_HEALTH_POLL_MS: '100',
  };
  const live: ChildProcess[] = [];
  for (let i = 0; i < o.workers; i++) live.push(pool.spawn(url, env));
  let kills = 0;
  let killing = true;
  const killer = (async () => {
    while (killing) {
      await sleep(o.killMinMs + Math.random() * (o.killMaxMs - o.killMinMs));
      if (!killing) break;
      const i = Math.floor(Math.random() * live.length);
      await pool.kill(live[i]!);
      kills++;
      live[i] = pool.spawn(url, env);
    }
  })();

  try {
    await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug in ('starter', 'pro')`);
    const [user] = await t.db.insert(users).values({ email: `chaos-${randomUUID()}@plinth.test`, name: 'chaos' }).returning();
    const org = await createOrganization(t.db, { userId: user!.id }, { name: `Chaos ${randomUUID().slice(0, 6)}` }, { orgsPerUser: Infinity });
    const actor = { orgId: org.id, userId: user!.id };
    const opts = { pastDueGraceDays: 7, payments: { paymentsConfigured: false, freeDeploymentsPerUser: Infinity } };
    const ids: string[] = [];
    const names = new Map<string, string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < o.creates) {
          const i = next++;
          const input = { name: `chaos-${i}`, plan: 'pro', region: 'eu-west-1', version: '7.2.5', idempotencyKey: `chaos-${i}` };
          const { id } = await createDeployment(t.db, actor, input, { engines: { infra: 'sandbox', delivery: 'sandbox' }, ...opts });
          ids.push(id);
          names.set(id, input.name);
        }
      }),
    );
    log(`created ${ids.length}`);
    // Resizes and deletes arrive while the creates are still being worked on.
    const shuffled = [...ids].sort(() => Math.random() - 0.5);
    const toDelete = shuffled.slice(0, o.deletes);
    const toResize = shuffled.slice(o.deletes, o.deletes + o.resizes);
    const sizes = [512, 2048, 4096];
    const resize = async (id: string, n: number) => {
      for (;;) {
        const [d] = rows<{ generation: number }>(await t.db.execute(sql`select generation from deployments where id = ${id}`));
        try {
          await updateDeployment(t.db, actor, { orgId: org.id, deploymentId: id, expectedGeneration: d!.generation, memoryMb: sizes[n % sizes.length]! } as never, opts);
          return;
        } catch (e) {
          if (!/changed since you loaded it/.test((e as Error).message)) throw e;
        }
      }
    };
    const work: Array<() => Promise<unknown>> = [
      ...toResize.map((id, n) => () => resize(id, n)),
      ...toDelete.map((id) => () => deleteDeployment(t.db, actor, { orgId: org.id, deploymentId: id, confirmName: names.get(id)! } as never, opts)),
    ].sort(() => Math.random() - 0.5);
    let w = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (w < work.length) {
          await work[w++]!();
          await sleep(5);
        }
      }),
    );
    const lastRequest = Date.now();
    log(`requests done (${work.length}); waiting for quiet`);
    let state = await chaosAudit(t);
    while (state.pending > 0 && Date.now() - lastRequest < o.quietTimeoutMs) {
      await sleep(250);
      state = await chaosAudit(t);
    }
    const lastRequestToQuietMs = Date.now() - lastRequest;
    killing = false;
    await killer;
    await pool.killAll();
    // Deleted ones must have nothing live, once the reclaim pass after deletion (if any) has run.
    state = await chaosAudit(t);
    return { lastRequestToQuietMs, kills, orphaned: state.orphaned, createdTwice: state.twice, mismatched: state.mismatched, notConverged: state.pending };
  } finally {
    killing = false;
    await killer;
    await pool.killAll();
  }
}
