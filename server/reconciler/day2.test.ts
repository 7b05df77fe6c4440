/**
 * Day-2 on the sandbox, both drivers: continuous resync (slot, one row for a no-op resync), drift healed or
 * notified per plan, unhealthy → Degraded → recovered, escalation, and stop/start (engines kept, billing).
 */
import { randomUUID } from 'node:crypto';
import { count, desc, eq, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, billingSegments, deploymentEvents, deployments, events as outbox, operations, plans, sandboxResources, usageEvents } from '~/db/schema';
import { makeDeployment, makeOrg, makeUser } from '~/test/fixtures';
import { forceReconcile } from '../services/tenants/actions';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { cloudAudit, sandbox, startWorker, waitFor } from '~/test/reconciler';
import { meterUsage } from '../billing/metering';
import { simulateOutOfBand } from './engines/sandbox';
import type { Day2Options } from './health-check';
import { reconcilerHealth } from './health';
import { slotOf } from './resync';
import type { Worker } from './worker';

const INTERVAL = 600_000;

describe.each(drivers)('day-2 (%s)', (driver) => {
  let t: TestDb;
  let worker: Worker | null = null;
  let clock = Date.now();
  const day2: Day2Options = { resyncMs: INTERVAL, degradedAfterMs: 60_000, escalateAfter: 2, recoveryBaseMs: 300_000, now: () => clock };
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterEach(async () => {
    await worker?.stop();
    worker = null;
  });
  afterAll(() => t.drop());

  const get = (id: string) => t.db.select().from(deployments).where(eq(deployments.id, id)).then((r) => r[0]!);
  const events = (id: string) => t.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, id)).orderBy(deploymentEvents.id);
  async function ready(name: string, plan = 'starter') {
    const { api, orgId } = await makeOrg(t.db, name);
    worker ??= await startWorker(t, sandbox(t), { day2 });
    const { id } = await makeDeployment(api, orgId, name.toLowerCase(), { plan });
    await waitFor('ready', () => get(id), (d) => d.phase === 'ready' && d.leaseOwner === null);
    return { api, orgId, id };
  }
  /** The interval passes (as far as this deployment is concerned): due now; resolves once a pass released it again. */
  async function resyncNow(id: string) {
    const before = (await events(id)).length;
    await t.db.update(deployments).set({ nextReconcileAt: sql`now()` }).where(eq(deployments.id, id));
    worker!.poke();
    await waitFor('the resync', () => get(id), (d) => d.leaseOwner === null && d.nextReconcileAt !== null && d.nextReconcileAt.getTime() > Date.now());
    return (await events(id)).slice(before);
  }
  /** Rows in every table a pass could write, plus the deployment row's own state apart from its schedule. */
  async function footprint(id: string) {
    const n = async (table: typeof deploymentEvents | typeof operations | typeof billingSegments | typeof auditLog | typeof sandboxResources) =>
      (await t.db.select({ n: count() }).from(table))[0]!.n;
    const { nextReconcileAt: _next, updatedAt: _updated, leaseOwner: _owner, leaseExpiresAt: _lease, ...row } = await get(id);
    const cloud = await t.db.select({ revision: sandboxResources.revision, spec: sandboxResources.spec }).from(sandboxResources).where(eq(sandboxResources.deploymentId, id));
    return { events: await n(deploymentEvents), operations: await n(operations), segments: await n(billingSegments), audit: await n(auditLog), cloud, row };
  }

  it('schedules a ready deployment at its own slot in the interval; a resync that finds nothing writes only the deployment row', async () => {
    const { id } = await ready('Resync');
    const d = await get(id);
    const at = d.nextReconcileAt!.getTime();
    expect(at).toBeGreaterThan(Date.now() + INTERVAL / 2 - 5000);
    expect(at).toBeLessThan(Date.now() + (INTERVAL * 3) / 2 + 5000);
    // At its slot: epoch seconds modulo the interval is the id's offset.
    expect(Math.abs(((at / 1000) % (INTERVAL / 1000)) - slotOf(id) * (INTERVAL / 1000))).toBeLessThan(0.01);

    const before = await footprint(id);
    expect(await resyncNow(id)).toEqual([]);
    expect(await footprint(id)).toEqual(before);
    const after = await get(id);
    expect(after.nextReconcileAt!.getTime()).toBeGreaterThan(Date.now() + INTERVAL / 2 - 5000);
  });

  it("answers a staff force-reconcile of a ready deployment: the resync closes the operation it opened", async () => {
    const { id, orgId } = await ready('Forced');
    const admin = await makeUser(t.db, `force-${driver}@plinth.test`, 'admin');
    await forceReconcile(t.db, { userId: admin.user.id, staffRole: 'admin' }, { orgId, deploymentId: id, reason: 'customer reports a stale endpoint' });
    worker!.poke();
    const op = await waitFor('the forced resync', () => t.db.select().from(operations).where(eq(operations.deploymentId, id)).then((r) => r.find((o) => o.kind === 'retry')), (o) => o?.status !== 'pending');
    expect(op!.status).toBe('succeeded');
    expect((await get(id)).phase).toBe('ready');
  });

  it('drift injected out of band is detected at the next resync and healed on a shared plan, and recorded', async () => {
    const { id } = await ready('Healer');
    expect(await simulateOutOfBand(t.db, id, { infra: { memoryMb: 4096 } })).toBe(true);
    const found = await resyncNow(id);
    expect(found.map((e) => [e.step, e.level, e.message])).toEqual([
      ['drifted', 'warning', 'Drift detected: sandbox infrastructure: memoryMb 1024 → 4096'],
      ['drift_healed', 'info', 'Drift healed: re-applied the desired state (sandbox)'],
    ]);
    const [infra] = await t.db.select().from(sandboxResources).where(eq(sandboxResources.deploymentId, id)).then((r) => r.filter((x) => x.kind === 'infra'));
    expect(infra!.spec).toMatchObject({ memoryMb: 1024 });
    const d = await get(id);
    expect(d.phase).toBe('ready');
    expect(d.conditions.find((c) => c.type === 'Drifted')).toMatchObject({ status: false, message: 'healed: sandbox infrastructure: memoryMb 1024 → 4096' });
    expect(await resyncNow(id)).toEqual([]); // healed: nothing more to say
    // Customers' webhooks and mail hear of it through the events outbox, once.
    const told = await t.db.select({ type: outbox.type, data: outbox.data }).from(outbox).where(eq(outbox.deploymentId, id));
    expect(told.filter((e) => e.type === 'deployment.drifted')).toEqual([{ type: 'deployment.drifted', data: expect.objectContaining({ deploymentId: id, message: 'Drift detected: sandbox infrastructure: memoryMb 1024 → 4096' }) }]);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  });

  it('on a notify plan, drift keeps the Drifted condition (not healed), said once; resolved when it goes away', async () => {
    await t.db.update(plans).set({ driftPolicy: 'notify' }).where(eq(plans.slug, 'pro'));
    try {
      const { id, api, orgId } = await ready('Notifier', 'pro');
      await simulateOutOfBand(t.db, id, { infra: { region: 'us-east-1' } });
      const found = await resyncNow(id);
      expect(found.map((e) => e.message)).toEqual(['Drift detected, not healed (this plan notifies): sandbox infrastructure: region "eu-west-1" → "us-east-1"']);
      const seen = await api.deployments.get({ orgId, deploymentId: id });
      expect(seen.conditions.find((c) => c.type === 'Drifted')).toMatchObject({ status: true, message: 'sandbox infrastructure: region "eu-west-1" → "us-east-1"' });
      const before = await footprint(id);
      expect(await resyncNow(id)).toEqual([]); // the same drift again: no new row
      expect(await footprint(id)).toEqual(before);
      await simulateOutOfBand(t.db, id, { infra: { region: 'eu-west-1' } });
      expect((await resyncNow(id)).map((e) => e.message)).toEqual(['Drift resolved: the infrastructure matches the spec again']);
    } finally {
      await t.db.update(plans).set({ driftPolicy: null }).where(eq(plans.slug, 'pro'));
    }
  });

  it('unhealthy → Degraded after the threshold → recovery action → recovered', async () => {
    const { id } = await ready('Flaky');
    await simulateOutOfBand(t.db, id, { fault: 'unhealthy' });
    expect((await resyncNow(id)).map((e) => e.message)).toEqual(['Unhealthy: redis container is crash-looping (injected fault)']);
    expect((await get(id)).conditions.find((c) => c.type === 'Degraded')).toMatchObject({ status: false, recoveries: 0 });
    clock += 61_000; // past the threshold
    const degraded = await resyncNow(id);
    expect(degraded.map((e) => [e.step, e.message])).toEqual([
      ['degraded', 'Degraded: unhealthy for 61 s: redis container is crash-looping (injected fault)'],
      ['recovery', 'Recovery action 1 of 2: restarted the app'],
    ]);
    expect((await get(id)).conditions.find((c) => c.type === 'Degraded')).toMatchObject({ status: true, recoveries: 1 });
    const told = await t.db.select({ type: outbox.type }).from(outbox).where(eq(outbox.deploymentId, id));
    expect(told.filter((e) => e.type === 'deployment.degraded')).toHaveLength(1);
    expect((await resyncNow(id)).map((e) => [e.step, e.message])).toEqual([['recovered', 'Recovered: healthy again after 1 recovery action(s)']]);
    expect((await get(id)).conditions.some((c) => c.type === 'Degraded')).toBe(false);
  });

  it('an app that stays unhealthy is escalated after repeated recovery, and listed for staff', async () => {
    const { id } = await ready('Broken');
    await simulateOutOfBand(t.db, id, { fault: 'stuck' });
    await resyncNow(id);
    clock += 61_000;
    await resyncNow(id); // degraded, recovery 1
    const second = await resyncNow(id); // recovery 2 → escalated
    expect(second.map((e) => e.step)).toEqual(['recovery', 'escalated']);
    expect(await resyncNow(id)).toEqual([]); // escalated: left for a person, nothing more done
    const d = await get(id);
    expect(d.conditions.find((c) => c.type === 'Degraded')).toMatchObject({ status: true, recoveries: 2 });
    const health = await reconcilerHealth(t.db);
    expect(health.attention.find((a) => a.id === id)).toMatchObject({ name: 'broken', degraded: { recoveries: 2, message: 'redis container is crash-looping (injected fault)' }, drifted: null });
    await simulateOutOfBand(t.db, id, { fault: null });
    expect((await resyncNow(id)).map((e) => e.step)).toEqual(['recovered']);
  });

  it('stop keeps the engine resources and bills storage only; start brings it back; both follow the CONFLICT rules', async () => {
    const { id, api, orgId } = await ready('Pausable', 'pro');
    const infraBefore = await t.db.select().from(sandboxResources).where(eq(sandboxResources.deploymentId, id)).then((r) => r.find((x) => x.kind === 'infra')!);
    await expect(api.deployments.stop({ orgId, deploymentId: id, expectedGeneration: 7 })).rejects.toMatchObject({ code: 'CONFLICT' });
    await api.deployments.stop({ orgId, deploymentId: id, expectedGeneration: 1 });
    await expect(api.deployments.stop({ orgId, deploymentId: id, expectedGeneration: 2 })).rejects.toMatchObject({ code: 'CONFLICT', message: 'pausable is already stopped.' });
    const stopped = await waitFor('stopped', () => get(id), (d) => d.phase === 'stopped' && d.observedGeneration === 2);
    expect(stopped.finalizers.sort()).toEqual(['app', 'infra']);
    const cloud = await t.db.select().from(sandboxResources).where(eq(sandboxResources.deploymentId, id));
    expect(cloud.filter((r) => r.destroyedAt === null).map((r) => r.kind).sort()).toEqual(['app', 'infra']);
    // Terraform untouched: the infrastructure resource was not written again.
    expect(cloud.find((r) => r.kind === 'infra')).toMatchObject({ revision: infraBefore.revision, spec: infraBefore.spec });
    expect(cloud.find((r) => r.kind === 'app')!.spec).toMatchObject({ stopped: true });
    const [last] = await t.db.select().from(billingSegments).where(eq(billingSegments.deploymentId, id)).orderBy(desc(billingSegments.id)).limit(1);
    expect(last).toMatchObject({ billable: true, compute: false, storageGb: 16, planSlug: 'pro' });
    expect(await resyncNow(id)).toEqual([]); // a stopped deployment is resynced too, and quietly

    await api.deployments.start({ orgId, deploymentId: id, expectedGeneration: 2 });
    const started = await waitFor('running', () => get(id), (d) => d.phase === 'ready' && d.observedGeneration === 3);
    expect(started.spec.state).toBe('running');
    const ops = await t.db.select().from(operations).where(eq(operations.deploymentId, id)).orderBy(operations.generation);
    expect(ops.map((o) => [o.kind, o.status])).toEqual([['create', 'succeeded'], ['stop', 'succeeded'], ['start', 'succeeded']]);
    const segs = await t.db.select().from(billingSegments).where(eq(billingSegments.deploymentId, id)).orderBy(billingSegments.id);
    expect(segs.map((s) => s.compute)).toEqual([true, false, true]);
  });

  it('meters no deployment hours while stopped, and still meters storage', async () => {
    const deploymentId = randomUUID();
    const { orgId } = await makeOrg(t.db, 'Metered');
    const t0 = new Date('2026-01-05T10:00:00Z');
    const h = (n: number) => new Date(t0.getTime() + n * 3_600_000);
    const seg = { deploymentId, orgId, billable: true, planSlug: 'pro', hourlyRateCentiCents: 1000, storageGb: 2 };
    await t.db.insert(billingSegments).values([
      { ...seg, at: h(0), compute: true },
      { ...seg, at: h(1), compute: false },
      { ...seg, at: h(3), compute: true },
      { deploymentId, orgId, at: h(4), billable: false, compute: true },
    ]);
    await meterUsage(t.db, { from: h(0), now: h(5) });
    const usage = await t.db.select().from(usageEvents).where(eq(usageEvents.deploymentId, deploymentId)).orderBy(usageEvents.hourStart, usageEvents.meter);
    const by = (meter: string) => usage.filter((u) => u.meter === meter).map((u) => [u.hourStart.toISOString().slice(11, 13), u.quantity]);
    expect(by('deployment_hours')).toEqual([['10', 1], ['13', 1]]);
    expect(by('storage_gb_hours')).toEqual([['10', 2], ['11', 2], ['12', 2], ['13', 2]]);
  });
});
