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
});
