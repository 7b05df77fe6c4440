/** Admin actions through the staff API: what each changes, what a suspended tenant can and cannot do, and bad input. */
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, deployments, operations } from '~/db/schema';
import { makeDeployment, makeOrg, makeUser, type TestUser } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { cloudAudit, sandbox, startWorker, waitFor } from '~/test/reconciler';

const why = (reason = 'Ticket #100: customer asked') => ({ reason, confirm: true as const });

describe.each(drivers)('admin actions (%s)', (driver) => {
  let t: TestDb;
  let admin: TestUser;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    admin = await makeUser(t.db, 'admin@plinth.test', 'admin');
  });
  afterAll(() => t.drop());

  async function tenant(name: string) {
    const { api, orgId } = await makeOrg(t.db, name);
    const create = (dep: string) => makeDeployment(api, orgId, dep);
    return { api, orgId, create };
  }
  const row = (id: string) => t.db.select().from(deployments).where(eq(deployments.id, id)).then((r) => r[0]!);
  const auditOf = (orgId: string, action: string) => t.db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, action)));

  it('suspends: members still read and see why, start nothing; staff act on their behalf; resume restores', async () => {
    const c = await tenant('Suspendable');
    const { id } = await c.create('cache-a');
    await t.db.update(deployments).set({ phase: 'failed', lastError: 'quota exceeded in region' }).where(eq(deployments.id, id));
    await admin.api.staff.tenants.suspend({ orgId: c.orgId, stopDeployments: false, ...why('Unpaid invoices since March') });

    expect((await c.api.orgs.mine()).find((o) => o.id === c.orgId)).toMatchObject({ status: 'suspended', suspendedReason: 'Unpaid invoices since March' });
    await expect(c.api.deployments.get({ orgId: c.orgId, deploymentId: id })).resolves.toMatchObject({ name: 'cache-a' });
    const refusals = [
      c.create('cache-b'),
      c.api.deployments.update({ orgId: c.orgId, deploymentId: id, expectedGeneration: 1, memoryMb: 512 }),
      c.api.deployments.upgrade({ orgId: c.orgId, deploymentId: id, expectedGeneration: 1, version: '7.4.1' }),
      c.api.deployments.delete({ orgId: c.orgId, deploymentId: id, confirmName: 'cache-a' }),
      c.api.deployments.retry({ orgId: c.orgId, deploymentId: id }),
    ];
    for (const r of await Promise.allSettled(refusals)) {
      expect(r).toMatchObject({ status: 'rejected', reason: { code: 'PRECONDITION_FAILED', message: expect.stringContaining('Unpaid invoices since March') } });
    }
    expect(await row(id)).toMatchObject({ generation: 1, deletionRequestedAt: null });

    await expect(admin.api.staff.tenants.suspend({ orgId: c.orgId, stopDeployments: false, ...why() })).rejects.toMatchObject({ code: 'CONFLICT' });
    await admin.api.staff.deployments.retry({ orgId: c.orgId, deploymentId: id, ...why('Region quota raised') });
    await admin.api.staff.deployments.changePlan({ orgId: c.orgId, deploymentId: id, plan: 'pro', expectedGeneration: 1, ...why('Upgrade agreed on call') });
    expect(await row(id)).toMatchObject({ generation: 2, attempts: 0, spec: { plan: 'pro' } });
    expect((await auditOf(c.orgId, 'deployment.retry'))[0]?.reason).toBe('Region quota raised');
    expect((await auditOf(c.orgId, 'deployment.update'))[0]).toMatchObject({ actorId: admin.user.id, reason: 'Upgrade agreed on call' });

    await admin.api.staff.tenants.resume({ orgId: c.orgId, ...why('Paid in full') });
    expect((await c.api.orgs.mine())[0]).toMatchObject({ status: 'active', suspendedReason: null });
    await c.api.deployments.update({ orgId: c.orgId, deploymentId: id, expectedGeneration: 2, memoryMb: 512 });
    await expect(admin.api.staff.tenants.resume({ orgId: c.orgId, ...why() })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await auditOf(c.orgId, 'org.suspend'))[0]).toMatchObject({ actorId: admin.user.id, reason: 'Unpaid invoices since March', after: { stopDeployments: false } });
    expect((await auditOf(c.orgId, 'org.resume'))[0]?.reason).toBe('Paid in full');
  });

  it('stopping deployments on suspend stops them (data and infrastructure kept); resuming with start brings them back', async () => {
    const c = await tenant('Abusive');
    const ids = [(await c.create('miner-1')).id, (await c.create('miner-2')).id];
    const worker = await startWorker(t, sandbox(t));
    try {
      await waitFor('ready', () => Promise.all(ids.map(row)), (ds) => ds.every((d) => d.phase === 'ready'));
      const result = await admin.api.staff.tenants.suspend({ orgId: c.orgId, stopDeployments: true, ...why('Crypto mining, abuse report #9') });
      expect(result.stopped.sort()).toEqual(['miner-1', 'miner-2']);
      const stopped = await waitFor('stopped', () => Promise.all(ids.map(row)), (ds) => ds.every((d) => d.phase === 'stopped'));
      expect(stopped.map((d) => [d.deletionRequestedAt, d.spec.state, d.finalizers.sort()])).toEqual(ids.map(() => [null, 'stopped', ['app', 'infra']]));
      const resumed = await admin.api.staff.tenants.resume({ orgId: c.orgId, startDeployments: true, ...why('Cleared after review') });
      expect(resumed.started.sort()).toEqual(['miner-1', 'miner-2']);
      await waitFor('ready again', () => Promise.all(ids.map(row)), (ds) => ds.every((d) => d.phase === 'ready' && d.spec.state === 'running'));
    } finally {
      await worker.stop();
    }
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
    const stops = await auditOf(c.orgId, 'deployment.stop');
    expect(stops.map((d) => [d.actorId, d.reason])).toEqual(ids.map(() => [admin.user.id, 'Crypto mining, abuse report #9']));
    expect(await auditOf(c.orgId, 'deployment.delete')).toEqual([]);
    expect((await auditOf(c.orgId, 'org.resume'))[0]).toMatchObject({ reason: 'Cleared after review', after: { started: expect.arrayContaining(['miner-1', 'miner-2']) } });
  });

  it('forces a reconcile: due now, attempts reset, an operation and an audit row with the reason', async () => {
    const c = await tenant('Stuck');
    const { id } = await c.create('cache-x');
    await t.db.update(deployments).set({ nextReconcileAt: sql`now() + interval '1 hour'`, attempts: 7 }).where(eq(deployments.id, id));
    await admin.api.staff.deployments.forceReconcile({ orgId: c.orgId, deploymentId: id, ...why('Customer reports stale config') });
    const d = await row(id);
    expect(d.attempts).toBe(0);
    expect(d.nextReconcileAt!.getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    const ops = await t.db.select().from(operations).where(eq(operations.deploymentId, id));
    expect(ops.map((o) => o.kind).sort()).toEqual(['create', 'retry']);
    expect((await auditOf(c.orgId, 'deployment.force_reconcile'))[0]).toMatchObject({ reason: 'Customer reports stale config', before: { attempts: 7 } });

    // Another tenant's id with this tenant's deployment: not found, nothing written.
    const other = await tenant('Other');
    await expect(admin.api.staff.deployments.forceReconcile({ orgId: other.orgId, deploymentId: id, ...why() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('grants and revokes staff roles, effective on the next call; never one’s own', async () => {
    const person = await makeUser(t.db, 'new-support@plinth.test');
    await expect(person.api.staff.people.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await admin.api.staff.people.setRole({ email: ' New-Support@plinth.test ', role: 'support', ...why('Joined the support team') });
    await expect(person.api.staff.people.list()).resolves.toMatchObject({ members: expect.arrayContaining([expect.objectContaining({ email: 'new-support@plinth.test', staffRole: 'support' })]) });
    await expect(admin.api.staff.people.setRole({ email: 'new-support@plinth.test', role: 'support', ...why() })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await admin.api.staff.people.setRole({ email: 'new-support@plinth.test', role: 'none', ...why('Left the company') });
    await expect(person.api.staff.people.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.api.staff.people.setRole({ email: 'admin@plinth.test', role: 'support', ...why() })).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('another admin') });
    await expect(admin.api.staff.people.setRole({ email: 'nobody@plinth.test', role: 'admin', ...why() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { changes } = await admin.api.staff.people.list();
    expect(changes.slice(0, 2).map((c) => [c.target, c.from, c.to, c.reason, c.actor])).toEqual([
      ['new-support@plinth.test', 'support', 'none', 'Left the company', 'admin@plinth.test'],
      ['new-support@plinth.test', 'none', 'support', 'Joined the support team', 'admin@plinth.test'],
    ]);
  });

  it('refuses an action without a reason or a confirmation, or with a bad amount, and writes nothing', async () => {
    const c = await tenant('Careful');
    const before = await t.db.select().from(auditLog).where(eq(auditLog.orgId, c.orgId));
    const attempts: Array<[() => Promise<unknown>, string]> = [
      [() => admin.api.staff.credits.issue({ orgId: c.orgId, amountCents: 100, currency: 'usd', expiresAt: null, reason: 'x', confirm: true }), 'Say why'],
      [() => admin.api.staff.credits.issue({ orgId: c.orgId, amountCents: 100, currency: 'usd', expiresAt: null, reason: 'A valid reason', confirm: false as true }), 'Confirm the action'],
      [() => admin.api.staff.credits.issue({ orgId: c.orgId, amountCents: -5, currency: 'usd', expiresAt: null, ...why() }), 'positive amount'],
      [() => admin.api.staff.credits.issue({ orgId: c.orgId, amountCents: 100, currency: 'usd', expiresAt: new Date(Date.now() - 86_400_000), ...why() }), 'future'],
      [() => admin.api.staff.tenants.suspend({ orgId: c.orgId, stopDeployments: false, reason: '   ', confirm: true }), 'Say why'],
    ];
    for (const [call, message] of attempts) await expect(call()).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining(message) });
    expect(await t.db.select().from(auditLog).where(eq(auditLog.orgId, c.orgId))).toEqual(before);
  });
});
