/**
 * A worker that stalls past its lease, on the Postgres server with real worker processes: paused (SIGSTOP) and
 * resumed after another worker took its deployments over, or cut off from the database by a partition longer
 * than the lease. Meanwhile deployments are resized and deleted. Afterwards: no second copy of anything, no engine
 * write by the stalled worker after the takeover, the cloud matches the latest spec, and what was deleted
 * meanwhile has nothing left live (once the pass after deletion has looked again).
 */
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull, like, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deployments, sandboxResources } from '~/db/schema';
import { makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { chaosAudit } from '~/test/chaos';
import { startProxy } from '~/test/proxy';
import { phasesOf, waitFor } from '~/test/reconciler';
import { databaseUrl, workerPool, type WorkerProcess } from '~/test/workers';

const LEASE_MS = 1500;
const env = { PLINTH_SANDBOX_LATENCY_MS: '700', PLINTH_LEASE_MS: String(LEASE_MS), PLINTH_WORKER_CONCURRENCY: '50', PLINTH_HEALTH_POLL_MS: '100' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a worker stalled past its lease (postgres, worker processes)', () => {
  let t: TestDb;
  let url: string;
  let workers = workerPool({ quiet: true });
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    url = await databaseUrl(t);
    await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'starter'`);
  });
  afterEach(async () => {
    await workers.killAll();
    workers = workerPool({ quiet: true });
  });
  afterAll(() => t.drop());

  /** Runs the scenario with `stall`/`unstall` around the takeover; `a` is the worker that stalls. */
  async function scenario(name: string, a: WorkerProcess, stall: () => void, unstall: () => void) {
    const owner = await makeUser(t.db, `${name}-${randomUUID().slice(0, 6)}@example.test`);
    const org = await owner.api.orgs.create({ name });
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) {
      ids.push((await owner.api.deployments.create({ orgId: org.id, name: `${name}-${i}`, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() })).id);
    }
    // Stall A in the middle of applying: its leases held, some infrastructure made, nothing ready yet.
    await waitFor('A applying', () => t.db.select({ id: sandboxResources.id }).from(sandboxResources).where(inArray(sandboxResources.deploymentId, ids)), (r) => r.length >= 3, 30_000);
    stall();
    const held = await t.db.select({ id: deployments.id }).from(deployments).where(and(inArray(deployments.id, ids), like(deployments.leaseOwner, `%:${a.pid}:%`)));
    expect(held.length).toBeGreaterThan(0);

    // Changes during the stall, on deployments A holds.
    const resized = ids.slice(0, 4);
    const deleted = ids.slice(4, 8);
    for (const id of resized) await owner.api.deployments.update({ orgId: org.id, deploymentId: id, expectedGeneration: 1, memoryMb: 512 });
    for (const id of deleted) {
      const [d] = await t.db.select({ name: deployments.name }).from(deployments).where(eq(deployments.id, id));
      await owner.api.deployments.delete({ orgId: org.id, deploymentId: id, confirmName: d!.name });
    }

    // B takes over once the leases expire, and converges everything.
    workers.spawn(url, env);
    await waitFor('B converged', () => chaosAudit(t), (s) => s.pending === 0, 60_000);
    expect(await phasesOf(t, ids)).toEqual({ ready: 8, deleted: 4 });
    const live = () =>
      t.db
        .select({ id: sandboxResources.id, kind: sandboxResources.kind, revision: sandboxResources.revision, spec: sandboxResources.spec, generation: sandboxResources.generation })
        .from(sandboxResources)
        .where(and(inArray(sandboxResources.deploymentId, ids.filter((id) => !deleted.includes(id))), isNull(sandboxResources.destroyedAt)))
        .orderBy(sandboxResources.id);
    const before = await live();

    // A wakes up. Its passes must notice they lost their leases and touch nothing.
    unstall();
    await waitFor('A noticed', async () => a.output.filter((l) => /aborted|lease on deployment .* (was lost|not extended)/.test(l)).length, (n) => n > 0, 30_000);
    await sleep(2 * LEASE_MS + 1000); // anything A still had in hand has landed or been refused by now
    expect(await live()).toEqual(before); // no engine write after the takeover

    // Deleted meanwhile: the pass after deletion looks again; nothing of them is live.
    await waitFor('reclaim passes done', () => t.db.select({ id: deployments.id }).from(deployments).where(and(inArray(deployments.id, deleted), sql`${deployments.nextReconcileAt} is not null`)), (r) => r.length === 0, 60_000);
    const left = await t.db.select().from(sandboxResources).where(and(inArray(sandboxResources.deploymentId, deleted), isNull(sandboxResources.destroyedAt)));
    expect(left).toEqual([]);
    const state = await chaosAudit(t);
    expect({ pending: state.pending, orphaned: state.orphaned, mismatched: state.mismatched }).toEqual({ pending: 0, orphaned: 0, mismatched: 0 });
    // Never two live copies of one resource at once (the intervals of a deployment's resources never overlap).
    const overlaps = await t.db.execute(sql`select count(*)::int as n from sandbox_resources x join sandbox_resources y
      on x.deployment_id = y.deployment_id and x.kind = y.kind and x.id < y.id
      where y.created_at < coalesce(x.destroyed_at, 'infinity') and x.created_at < coalesce(y.destroyed_at, 'infinity')`);
    expect((overlaps as unknown as Array<{ n: number }>)[0]!.n).toBe(0);
    for (const id of resized) {
      const rows = await t.db.select().from(sandboxResources).where(and(eq(sandboxResources.deploymentId, id), isNull(sandboxResources.destroyedAt)));
      expect(rows.map((r) => (r.spec as { memoryMb: number }).memoryMb)).toEqual([512, 512]);
    }
  }

  it('paused (SIGSTOP) past its lease and resumed after the takeover', async () => {
    const a = workers.spawn(url, env);
    await scenario('paused', a, () => workers.pause(a), () => workers.resume(a));
  }, 180_000);

  it('partitioned from the database longer than its lease, then reconnected', async () => {
    const proxy = await startProxy({ host: '127.0.0.1', port: Number(new URL(url).port || 5432) });
    try {
      const a = workers.spawn(proxy.via(url), env);
      await scenario('partitioned', a, () => proxy.hang(), () => proxy.heal());
    } finally {
      await proxy.close();
    }
  }, 180_000);
});
