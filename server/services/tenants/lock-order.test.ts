/**
 * Staff force-reconcile and a customer's retry on the same deployment, at the same time, many times: both take
 * the organization lock first and the deployment lock second, so neither deadlocks (it used to be the opposite
 * order in force-reconcile). Also: a deadlock that does happen is retried, not shown as a 500.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments } from '~/db/schema';
import { isRetryableDbError, withDbRetry } from '~/server/api/retry';
import { createCallerFactory, publicProcedure, router } from '~/server/api/trpc';
import { drivers, makeUser, openTestDatabase, testConfig, type TestDb } from '~/test/harness';

describe.each(drivers)('lock order (%s)', (driver) => {
  let t: TestDb;
  afterAll(() => t?.drop());
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });

  it('runs force-reconcile and customer retry concurrently without a deadlock', async () => {
    const admin = await makeUser(t.db, 'lock-admin@plinth.test', 'admin');
    const owner = await makeUser(t.db, 'lock-owner@plinth.test');
    const org = await owner.api.orgs.create({ name: 'Locks' });
    const dep = await owner.api.deployments.create({ orgId: org.id, name: 'lock-cache', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'lock-create-1' });
    const errors: unknown[] = [];
    for (let round = 0; round < 15; round++) {
      await t.db.update(deployments).set({ phase: 'failed', lastError: 'boom' }).where(eq(deployments.id, dep.id));
      const results = await Promise.allSettled([
        admin.api.staff.deployments.forceReconcile({ orgId: org.id, deploymentId: dep.id, reason: 'testing lock order', confirm: true }),
        owner.api.deployments.retry({ orgId: org.id, deploymentId: dep.id }),
        admin.api.staff.deployments.forceReconcile({ orgId: org.id, deploymentId: dep.id, reason: 'testing lock order', confirm: true }),
      ]);
      for (const r of results) if (r.status === 'rejected') errors.push(r.reason);
    }
    expect(errors.map((e) => (e as { code?: string }).code)).toEqual([]);
  });

  it('retries a transaction Postgres aborts as a deadlock victim', async () => {
    let calls = 0;
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const result = await withDbRetry(async () => {
      calls++;
      if (calls < 3) throw new Error('Failed query', { cause: deadlock });
      return 'done';
    });
    expect({ result, calls }).toEqual({ result: 'done', calls: 3 });
    expect(isRetryableDbError(new Error('x', { cause: { code: '23505' } }))).toBe(false);
  });

  it('re-runs a procedure whose transaction was a deadlock victim, at most three times', async () => {
    let calls = 0;
    const deadlock = () => new Error('Failed query', { cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }) });
    const r = router({
      flaky: publicProcedure.mutation(() => {
        calls++;
        if (calls < 3) throw deadlock();
        return calls;
      }),
      stuck: publicProcedure.mutation(() => {
        calls++;
        throw deadlock();
      }),
    });
    const caller = createCallerFactory(r)({ db: t.db, userId: null, ip: 'x', config: testConfig });
    expect(await caller.flaky()).toBe(3);
    calls = 0;
    await expect(caller.stuck()).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(calls).toBe(3);
  });
});
