/**
 * Crash safety with real processes: `npm run worker` processes on the Postgres server, one killed with SIGKILL
 * in the middle of provisioning and another in the middle of deleting. Another worker resumes; everything
 * converges; the simulated cloud holds nothing orphaned and nothing created twice.
 */
import { randomUUID } from 'node:crypto';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, sandboxResources } from '~/db/schema';
import { makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { databaseUrl, workerPool } from '~/test/workers';
import { cloudAudit, phasesOf, waitFor } from '~/test/reconciler';
import { runChaos } from '~/test/chaos';

describe('crash safety (postgres, worker processes)', () => {
  let t: TestDb;
  let url: string;
  const workers = workerPool();
  const worker = () =>
    workers.spawn(url, { PLINTH_SANDBOX_LATENCY_MS: '300', PLINTH_LEASE_MS: '1500', PLINTH_WORKER_CONCURRENCY: '50' });

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    url = await databaseUrl(t);
  });
  afterAll(async () => {
    await workers.killAll();
    await t.drop();
  });

  it('resumes provisioning and deletion after SIGKILL, with nothing orphaned or created twice', async () => {
    const owner = await makeUser(t.db, 'crash@example.test');
    const org = await owner.api.orgs.create({ name: 'Crash' });
    await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'starter'`);
    const ids: string[] = [];
    for (let i = 0; i < 40; i++) {
      ids.push((await owner.api.deployments.create({ orgId: org.id, name: `crash-${i}`, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() })).id);
    }

    const first = worker();
    // Kill it while infrastructure is half made: some resources exist, no deployment is ready yet.
    await waitFor('provisioning under way', () => t.db.select({ id: sandboxResources.id }).from(sandboxResources), (r) => r.length >= 5, 30_000);
    const midway = await phasesOf(t, ids);
    await workers.kill(first);
    expect(midway.ready ?? 0).toBeLessThan(40);
    expect(midway.provisioning).toBeGreaterThan(0);

    worker();
    await waitFor('all ready after the crash', () => phasesOf(t, ids), (p) => p.ready === 40, 60_000);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });

    for (const id of ids) {
      const [d] = await t.db.select({ name: deployments.name }).from(deployments).where(eq(deployments.id, id));
      await owner.api.deployments.delete({ orgId: org.id, deploymentId: id, confirmName: d!.name });
    }
    await waitFor('deletion under way', () => phasesOf(t, ids), (p) => (p.deleting ?? 0) > 0 && (p.deleted ?? 0) < 40, 30_000);
    await waitFor('some infrastructure destroyed', () => t.db.select({ id: sandboxResources.id }).from(sandboxResources).where(sql`${sandboxResources.destroyedAt} is not null`), (r) => r.length >= 3, 30_000);
    const mid = await phasesOf(t, ids);
    await workers.killAll();
    expect(mid.deleted ?? 0).toBeLessThan(40);

    worker();
    await waitFor('all deleted after the crash', () => phasesOf(t, ids), (p) => p.deleted === 40, 60_000);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
    const live = await t.db.select().from(sandboxResources).where(inArray(sandboxResources.deploymentId, ids));
    expect(live.every((r) => r.destroyedAt !== null)).toBe(true);
  }, 180_000);

  it('converges creates, resizes and deletes while workers are SIGKILLed every few seconds, with 30% engine faults', async () => {
    // The same shape as bench/chaos.ts (1,000 / 300 / 200), smaller so the suite stays fast on two cores.
    const r = await runChaos(t, {
      creates: 150,
      deletes: 30,
      resizes: 45,
      workers: 3,
      killMinMs: 2000,
      killMaxMs: 4000,
      transientFaultRate: 0.3,
      latencyMs: 50,
      leaseMs: 2000,
      quietTimeoutMs: 150_000,
    });
    expect(r.kills).toBeGreaterThan(0);
    expect({ notConverged: r.notConverged, orphaned: r.orphaned, createdTwice: r.createdTwice, mismatched: r.mismatched }).toEqual({ notConverged: 0, orphaned: 0, createdTwice: 0, mismatched: 0 });
  }, 300_000);

  it('stops on SIGTERM: passes in flight finish or are cancelled within the grace period, no lease is left held', async () => {
    await workers.killAll(); // the workers of the tests before must not take these deployments
    const owner = await makeUser(t.db, 'sigterm@example.test');
    const org = await owner.api.orgs.create({ name: 'Sigterm' });
    await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'starter'`);
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      ids.push((await owner.api.deployments.create({ orgId: org.id, name: `term-${i}`, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() })).id);
    }
    // A slow cloud and a short grace period: some passes cannot finish in time and are cancelled through their signal.
    const w = workers.spawn(url, { PLINTH_SANDBOX_LATENCY_MS: '5000', PLINTH_LEASE_MS: '30000', PLINTH_SHUTDOWN_GRACE_MS: '500' });
    await waitFor('passes in flight', () => t.db.select({ id: deployments.id }).from(deployments).where(sql`${deployments.id} in ${ids} and ${deployments.leaseOwner} like ${`%:${w.pid}:%`}`), (r) => r.length === 10, 30_000);
    expect(await workers.terminate(w)).toBe(0);
    expect(w.output.join('\n')).toMatch(/"reason":"received SIGTERM".*"msg":"stopping: passes in flight may finish[\s\S]*"msg":"stopped"/);
    // Handed back, not left to a 30 s lease: due again at once, and another worker converges them.
    const rows = await t.db.select().from(deployments).where(inArray(deployments.id, ids));
    expect(rows.filter((d) => d.leaseOwner !== null)).toEqual([]);
    worker();
    await waitFor('all ready after the restart', () => phasesOf(t, ids), (p) => p.ready === 10, 60_000);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  }, 120_000);
});
