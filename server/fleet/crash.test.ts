/**
 * The rollout scheduler survives SIGKILL: two `npm run worker` processes on the Postgres server, the one holding
 * the scheduler lease is killed mid-rollout, the other takes the lease over and finishes. No deployment is upgraded
 * twice (one `upgrade` operation each), none is skipped, the simulated cloud holds nothing created twice.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobLeases, operations } from '~/db/schema';
import { SCHEDULER_LEASE } from '~/server/fleet/scheduler';
import { createRollout } from '~/server/services/fleet/rollouts';
import { makeDeployment, makeOrg, makeUser, unlimitedQuota } from '~/test/fixtures';
import { itemStates, plan, rolloutStatus, versions } from '~/test/fleet';
import { openTestDatabase, type TestDb } from '~/test/harness';
import { cloudAudit, phasesOf, waitFor } from '~/test/reconciler';
import { databaseUrl, workerPool } from '~/test/workers';

describe('rollout scheduler crash safety (postgres, worker processes)', () => {
  let t: TestDb;
  let url: string;
  const workers = workerPool({ quiet: true });
  const env = { PLINTH_SANDBOX_LATENCY_MS: '200', PLINTH_LEASE_MS: '1500', PLINTH_ROLLOUT_INTERVAL_MS: '100', PLINTH_ROLLOUT_LEASE_MS: '1500', PLINTH_WORKER_CONCURRENCY: '20' };

  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    url = await databaseUrl(t);
  });
  afterAll(async () => {
    await workers.killAll();
    await t.drop();
  });

  it('resumes a rollout in another worker after the scheduler’s worker is SIGKILLed', async () => {
    await unlimitedQuota(t.db, 'starter');
    const o = await makeOrg(t.db, 'Killed');
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) ids.push((await makeDeployment(o.api, o.orgId, `killed-${i}`)).id);
    const first = workers.spawn(url, { ...env, PLINTH_SANDBOX_LATENCY_MS: '0' });
    await waitFor('fleet ready', () => phasesOf(t, ids), (p) => p.ready === 24);
    await workers.kill(first);

    const admin = await makeUser(t.db, 'crash-admin@plinth.test', 'admin');
    const { id } = await createRollout(t.db, { userId: admin.user.id, staffRole: 'admin' }, plan({ orgIds: [o.orgId], wavePercent: 50, maxConcurrency: 3 }));
    const a = workers.spawn(url, env);
    const b = workers.spawn(url, env);
    await waitFor('rollout under way', () => itemStates(t, id), (s) => (s.done ?? 0) >= 4 && (s.scheduled ?? 0) + (s.waiting ?? 0) > 4, 60_000);
    const [lease] = await t.db.select().from(jobLeases).where(eq(jobLeases.name, SCHEDULER_LEASE));
    const leader = [a, b].find((w) => lease!.owner.includes(`:${w.pid}:`))!;
    const survivor = leader === a ? b : a;
    await workers.kill(leader);

    await waitFor('rollout completed', () => rolloutStatus(t, id), (r) => r.status === 'completed', 90_000);
    const [after] = await t.db.select().from(jobLeases).where(eq(jobLeases.name, SCHEDULER_LEASE));
    expect(after!.owner).toContain(`:${survivor.pid}:`);
    expect(await itemStates(t, id)).toEqual({ done: 24 });
    const upgrades = await t.db.select({ deploymentId: operations.deploymentId }).from(operations).where(and(eq(operations.kind, 'upgrade'), inArray(operations.deploymentId, ids)));
    const perDeployment = new Map<string, number>();
    for (const u of upgrades) perDeployment.set(u.deploymentId, (perDeployment.get(u.deploymentId) ?? 0) + 1);
    expect([...perDeployment.values()].every((n) => n === 1) && perDeployment.size === 24).toBe(true);
    await waitFor('all converged on the target', () => versions(t, ids), (v) => v.every((x) => x.observed === '7.4.1' && x.converged), 60_000);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  }, 240_000);
});
