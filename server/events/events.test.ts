/**
 * Domain events land in the `events` outbox in the transaction that makes them true: reconciler phase
 * transitions (once per transition, not once per pass), credits and invoices.
 */
import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, events } from '~/db/schema';
import { issueCredit } from '~/server/billing/credits';
import { closeMonth } from '~/server/billing/invoices';
import type { Worker } from '~/server/reconciler/worker';
import { makeDeployment, makeOrg, unlimitedQuota } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { sandbox, startWorker, waitFor } from '~/test/reconciler';

describe.each(drivers)('events (%s)', (driver) => {
  let t: TestDb;
  const workers: Worker[] = [];
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await unlimitedQuota(t.db);
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await t.drop();
  });

  const typesOf = async (deploymentId: string) =>
    (await t.db.select().from(events).where(eq(events.deploymentId, deploymentId)).orderBy(asc(events.id))).map((e) => e.type);
  const phase = async (id: string) => (await t.db.select().from(deployments).where(eq(deployments.id, id)))[0]!;

  it('records ready after create and after a resize, and deleted after deletion, each once', async () => {
    workers.push(await startWorker(t, sandbox(t)));
    const { api, orgId, owner } = await makeOrg(t.db, 'Events');
    const { id } = await makeDeployment(api, orgId, 'evented');
    await waitFor('ready', () => phase(id), (d) => d.phase === 'ready');
    expect(await typesOf(id)).toEqual(['deployment.ready']);
    const [e] = await t.db.select().from(events).where(eq(events.deploymentId, id));
    expect(e).toMatchObject({ orgId, data: { deploymentId: id, name: 'evented', phase: 'ready', generation: 1 } });
    await api.deployments.update({ orgId, deploymentId: id, expectedGeneration: 1, memoryMb: 512 });
    await waitFor('resized', () => phase(id), (d) => d.phase === 'ready' && d.observedGeneration === 2);
    await api.deployments.delete({ orgId, deploymentId: id, confirmName: 'evented' });
    await waitFor('deleted', () => phase(id), (d) => d.phase === 'deleted');
    expect(await typesOf(id)).toEqual(['deployment.ready', 'deployment.ready', 'deployment.deleted']);
    expect(owner.user.id).toBeDefined();
    for (const w of workers.splice(0)) await w.stop();
  });

  it('records failed once however many passes fail, and again only after a retry started it afresh', async () => {
    workers.push(await startWorker(t, sandbox(t, { transientFaultRate: 1 }), { failAfterAttempts: 2 }));
    const { api, orgId } = await makeOrg(t.db, 'Failing');
    const { id } = await makeDeployment(api, orgId, 'doomed');
    await waitFor('failing for a while', () => phase(id), (d) => d.phase === 'failed' && d.attempts >= 5);
    expect(await typesOf(id)).toEqual(['deployment.failed']);
    const [e] = await t.db.select().from(events).where(eq(events.deploymentId, id));
    expect((e!.data as { error: string }).error).toContain('injected transient fault');
    // The retry is made with no pass in flight: a failing pass that was running when the retry landed would record
    // its failure over it (still phase failed, no transition, no event) — not what this test is about.
    for (const w of workers.splice(0)) await w.stop();
    await api.deployments.retry({ orgId, deploymentId: id });
    workers.push(await startWorker(t, sandbox(t, { transientFaultRate: 1 }), { failAfterAttempts: 2 }));
    await waitFor('failed after the retry', () => typesOf(id), (types) => types.length === 2);
    expect(await typesOf(id)).toEqual(['deployment.failed', 'deployment.failed']);
    for (const w of workers.splice(0)) await w.stop();
  });

  it('records credit.issued and invoice.issued with their amounts', async () => {
    const { orgId, owner } = await makeOrg(t.db, 'Billing');
    await issueCredit(t.db, { orgId, actorId: owner.user.id, amountCents: 1500, currency: 'usd', reason: 'sorry', expiresAt: null });
    await closeMonth(t.db, orgId, new Date('2026-01-01T00:00:00Z'));
    await closeMonth(t.db, orgId, new Date('2026-01-01T00:00:00Z'));
    const rows = await t.db.select().from(events).where(and(eq(events.orgId, orgId))).orderBy(asc(events.id));
    expect(rows.map((r) => r.type)).toEqual(['credit.issued', 'invoice.issued']);
    expect(rows[0]!.data).toMatchObject({ amountCents: 1500, currency: 'usd', reason: 'sorry' });
    expect(rows[1]!.data).toMatchObject({ periodStart: '2026-01-01T00:00:00.000Z', totalCents: 0 });
  });
});
