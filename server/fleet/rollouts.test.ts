/**
 * Fleet rollouts end to end on both drivers: a real reconciler worker (zero-latency sandbox) does the upgrades,
 * scheduler rounds run on an injected clock so windows and deadlines are deterministic.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, events, mailOutbox, operations, rolloutItems } from '~/db/schema';
import { queueEventMails } from '~/server/mail/notify';
import { runSchedulerRound } from '~/server/fleet/scheduler';
import type { Worker } from '~/server/reconciler/worker';
import { deferUpgrade, setOrgWindow, upgradeNow } from '~/server/services/fleet/customer';
import { cancelRollout, createRollout, dryRunRollout, getRollout, resumeRollout } from '~/server/services/fleet/rollouts';
import { addUpgradePath, publishVersion } from '~/server/services/fleet/versions';
import { makeUser } from '~/test/fixtures';
import { itemStates, plan, readyFleet, rolloutStatus, roundsUntil, versions } from '~/test/fleet';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { sandbox, startWorker, waitFor } from '~/test/reconciler';

const SUNDAY = new Date('2026-11-22T12:00:00Z');

describe.each(drivers)('fleet rollouts (%s)', (driver) => {
  let t: TestDb;
  let worker: Worker;
  let engines: ReturnType<typeof sandbox>;
  let staff: { userId: string; staffRole: 'admin' };

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    engines = sandbox(t);
    worker = await startWorker(t, engines);
    const admin = await makeUser(t.db, `fleet-admin-${driver}@plinth.test`, 'admin');
    staff = { userId: admin.user.id, staffRole: 'admin' };
    await publishVersion(t.db, staff, { version: '7.4.2', moduleRef: 'redis-7.4.2', chartVersion: '20.3.1', notes: 'Fixes CVE-2026-0001.', severity: 'critical', status: 'available' });
    await addUpgradePath(t.db, staff, { fromVersion: '7.2.5', toVersion: '7.4.2' });
  });
  afterAll(async () => {
    await worker?.stop({ graceMs: 1000 });
    await t?.drop();
  });

  const actor = (o: { orgId: string; owner: { user: { id: string } } }) => ({ orgId: o.orgId, userId: o.owner.user.id, role: 'owner' as const });

  it('upgrades only inside each window, across a DST change', async () => {
    const berlin = await readyFleet(t, 'Berlin', 3);
    const anytime = await readyFleet(t, 'Anytime', 2);
    // Sundays 03:00 Berlin time for an hour; on 29 March 2026 clocks skip from 02:00 to 03:00 CEST (01:00Z).
    await setOrgWindow(t.db, actor(berlin), { window: { days: [0], start: '03:00', durationMinutes: 60, timeZone: 'Europe/Berlin' } });
    const saturday = new Date('2026-03-28T12:00:00Z');
    const dry = await dryRunRollout(t.db, staff, plan({ orgIds: [berlin.orgId, anytime.orgId], wavePercent: 100 }), { now: () => saturday });
    expect(dry.total).toBe(5);
    expect(dry.waves.map((w) => w.size)).toEqual([1, 4]);
    expect(dry.waves[1]!.windows).toContainEqual({ window: 'Sun 03:00 for 1 h (Europe/Berlin)', deployments: expect.any(Number) });
    const { id } = await createRollout(t.db, staff, plan({ orgIds: [berlin.orgId, anytime.orgId], wavePercent: 100 }), { now: () => saturday });

    // Saturday, and 02:59 wall time before the jump (00:59Z): Berlin's deployments wait, the others may go.
    for (const now of [saturday, new Date('2026-03-29T00:59:00Z')]) {
      await roundsUntil(t, id, now, (r) => !r.states.upgrading);
      const rows = await t.db.select().from(rolloutItems).where(and(eq(rolloutItems.rolloutId, id), inArray(rolloutItems.deploymentId, berlin.ids)));
      expect(rows.filter((r) => r.status !== 'waiting' && r.status !== 'scheduled')).toEqual([]);
    }
    // 03:05 CEST = 01:05Z (03:05 CET would be 02:05Z): the window is open.
    const open = new Date('2026-03-29T01:05:00Z');
    await roundsUntil(t, id, open, (r) => r.status === 'completed');
    const berlinItems = await t.db.select().from(rolloutItems).where(and(eq(rolloutItems.rolloutId, id), inArray(rolloutItems.deploymentId, berlin.ids)));
    expect(berlinItems.map((i) => [i.status, i.startedAt?.toISOString()])).toEqual(berlin.ids.map(() => ['done', open.toISOString()]));
    expect((await versions(t, [...berlin.ids, ...anytime.ids])).every((v) => v.observed === '7.4.1' && v.converged)).toBe(true);
  });

  it('upgrades a critical release at its deadline when no window comes before it; it cannot be deferred', async () => {
    const c = await readyFleet(t, 'Critical', 2);
    await setOrgWindow(t.db, actor(c), { window: { days: [3], start: '02:00', durationMinutes: 120, timeZone: 'UTC' } });
    const deadline = new Date(SUNDAY.getTime() + 6 * 3600_000);
    const { id } = await createRollout(t.db, staff, plan({ orgIds: [c.orgId], targetVersion: '7.4.2', deadline, wavePercent: 100 }), { now: () => SUNDAY });
    // The announcement carries what a webhook or a mail needs to say which deployment, to what, and by when.
    const [scheduled] = await t.db.select().from(events).where(and(eq(events.type, 'upgrade.scheduled'), eq(events.deploymentId, c.ids[0]!)));
    expect(scheduled!.data).toMatchObject({ rolloutId: id, fromVersion: '7.2.5', version: '7.4.2', deadline: deadline.toISOString(), name: expect.any(String) });
    await queueEventMails(t.db, { appUrl: 'http://plinth.test', limit: 10_000 });
    const mails = await t.db.select().from(mailOutbox).where(and(eq(mailOutbox.to, c.owner.user.email), eq(mailOutbox.kind, 'upgrade_scheduled')));
    expect(mails).toHaveLength(2); // one per deployment
    const mail = mails.find((m) => m.text.includes(`/deployments/${c.ids[0]}`));
    expect(mail!.text).toContain(`An upgrade of ${(scheduled!.data as { name: string }).name} to Redis 7.4.2 is scheduled.`);
    expect(mail!.text).toContain('at the latest');
    await expect(deferUpgrade(t.db, actor(c), { deploymentId: c.ids[0]! }, { now: () => SUNDAY })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', userMessage: expect.stringContaining('critical') });
    await roundsUntil(t, id, SUNDAY, (r) => r.states.waiting === 1 && r.states.scheduled === 1);
    await roundsUntil(t, id, new Date(deadline.getTime() - 60_000), (r) => r.states.waiting === 1);
    await roundsUntil(t, id, deadline, (r) => r.status === 'completed');
    expect((await versions(t, c.ids)).map((v) => v.observed)).toEqual(['7.4.2', '7.4.2']);
  });

  it('defers a regular upgrade at most maxDefers times; upgrade now skips the window', async () => {
    const d = await readyFleet(t, 'Deferring', 2);
    await setOrgWindow(t.db, actor(d), { window: { days: [1], start: '02:00', durationMinutes: 120, timeZone: 'UTC' } });
    const { id } = await createRollout(t.db, staff, plan({ orgIds: [d.orgId], maxDefers: 1, canary: { size: 50, unit: 'percent' }, wavePercent: 100 }), { now: () => SUNDAY });
    const [first] = await t.db.select().from(rolloutItems).where(and(eq(rolloutItems.rolloutId, id), eq(rolloutItems.wave, 0)));
    const deferred = await deferUpgrade(t.db, actor(d), { deploymentId: first!.deploymentId }, { now: () => SUNDAY });
    expect(deferred.notBefore.toISOString()).toBe('2026-11-30T02:00:00.000Z');
    await expect(deferUpgrade(t.db, actor(d), { deploymentId: first!.deploymentId }, { now: () => SUNDAY })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', userMessage: expect.stringContaining('deferred 1 times') });
    // Monday's window: the deferred canary waits for next Monday.
    await roundsUntil(t, id, new Date('2026-11-23T02:30:00Z'), (r) => r.states.waiting === 1 && !r.states.upgrading);
    // The other deployment's owner does not wait for the wave.
    const other = d.ids.find((x) => x !== first!.deploymentId)!;
    await upgradeNow(t.db, actor(d), { deploymentId: other }, { now: () => SUNDAY });
    await roundsUntil(t, id, new Date('2026-11-23T02:30:00Z'), (r) => r.states.done === 1);
    await roundsUntil(t, id, new Date('2026-11-30T02:30:00Z'), (r) => r.status === 'completed');
    expect((await versions(t, d.ids)).map((v) => v.observed)).toEqual(['7.4.1', '7.4.1']);
  });

  it('pauses on a failed canary and says why; resume after the fault is cleared finishes the rollout', async () => {
    const e = await readyFleet(t, 'Canary', 4);
    engines.options.failVersions = ['7.4.1'];
    try {
      const { id } = await createRollout(t.db, staff, plan({ orgIds: [e.orgId] }), { now: () => SUNDAY });
      const r = await roundsUntil(t, id, SUNDAY, (x) => x.status === 'paused');
      expect(r.states).toEqual({ failed: 1, scheduled: 3 });
      expect((await rolloutStatus(t, id)).pausedReason).toMatch(/^The canary failed: 1 of 1 upgrade did not succeed/);
      // The failed canary still runs its old version; nobody else was touched.
      expect((await versions(t, e.ids)).map((v) => v.observed).sort()).toEqual(['7.2.5', '7.2.5', '7.2.5', '7.2.5']);
      const view = await getRollout(t.db, staff, { rolloutId: id });
      expect(view.attention[0]).toMatchObject({ status: 'failed', version: '7.2.5', reason: expect.stringContaining('does not start') });
    } finally {
      engines.options.failVersions = [];
    }
    const [{ id }] = (await t.db.select({ id: rolloutItems.rolloutId }).from(rolloutItems).where(eq(rolloutItems.deploymentId, e.ids[0]!))) as [{ id: string }];
    expect(await resumeRollout(t.db, staff, { rolloutId: id })).toMatchObject({ retried: 1 });
    await roundsUntil(t, id, SUNDAY, (x) => x.status === 'completed');
    expect((await versions(t, e.ids)).every((v) => v.observed === '7.4.1' && v.converged)).toBe(true);
  });

  it('pauses a wave that exceeds its failure budget', async () => {
    const f = await readyFleet(t, 'Budget', 5);
    const { id } = await createRollout(t.db, staff, plan({ orgIds: [f.orgId], wavePercent: 100, failureBudgetPct: 20 }), { now: () => SUNDAY });
    await runSchedulerRound(t.db, { now: SUNDAY, owner: 'test-scheduler', leaseMs: 60_000 }); // starts the canary only
    const [canary] = await t.db.select().from(rolloutItems).where(and(eq(rolloutItems.rolloutId, id), eq(rolloutItems.wave, 0)));
    await waitFor('canary upgraded', () => versions(t, [canary!.deploymentId]), (v) => v[0]!.observed === '7.4.1' && v[0]!.converged);
    engines.options.failVersions = ['7.4.1'];
    try {
      // Upgrades in flight when it paused still finish (here: fail too).
      await roundsUntil(t, id, SUNDAY, (x) => x.status === 'paused' && !x.states.upgrading);
      expect((await rolloutStatus(t, id)).pausedReason).toMatch(/^Wave 1: \d of 4 upgrades failed \(\d+\.\d%\), over its failure budget of 20%/);
    } finally {
      engines.options.failVersions = [];
    }
    await resumeRollout(t.db, staff, { rolloutId: id });
    await roundsUntil(t, id, SUNDAY, (x) => x.status === 'completed');
    expect((await versions(t, f.ids)).every((v) => v.observed === '7.4.1')).toBe(true);
  });

  it('cancels mid-wave: upgrades in flight finish, the rest stay on their version, none half-way', async () => {
    const g = await readyFleet(t, 'Cancel', 6);
    const { id } = await createRollout(t.db, staff, plan({ orgIds: [g.orgId], wavePercent: 100, maxConcurrency: 2 }), { now: () => SUNDAY });
    await roundsUntil(t, id, SUNDAY, (x) => (x.states.done ?? 0) >= 1 && (x.states.upgrading ?? 0) + (x.states.done ?? 0) >= 3);
    await cancelRollout(t.db, staff, { rolloutId: id, reason: 'wrong target' }, { now: () => SUNDAY });
    const r = await roundsUntil(t, id, SUNDAY, (x) => x.status === 'cancelled');
    expect(r.states.skipped! + r.states.done!).toBe(6);
    const vs = await versions(t, g.ids);
    expect(vs.every((v) => v.converged && v.spec === v.observed && v.phase === 'ready')).toBe(true);
    expect(vs.filter((v) => v.observed === '7.4.1').length).toBe(r.states.done);
    expect(vs.filter((v) => v.observed === '7.2.5').length).toBe(r.states.skipped);
  });

  it('keeps a customer resize made during the rollout, and the deployment still ends on the target', async () => {
    const h = await readyFleet(t, 'Resize', 2);
    const { id } = await createRollout(t.db, staff, plan({ orgIds: [h.orgId], wavePercent: 100 }), { now: () => SUNDAY });
    await runSchedulerRound(t.db, { now: SUNDAY, owner: 'test-scheduler', leaseMs: 60_000 });
    const [canary] = await t.db.select().from(rolloutItems).where(and(eq(rolloutItems.rolloutId, id), eq(rolloutItems.wave, 0)));
    const later = h.ids.find((x) => x !== canary!.deploymentId)!;
    // A view from before the rollout's write is refused, and says what changed; a fresh one is applied.
    await expect(h.api.deployments.update({ orgId: h.orgId, deploymentId: canary!.deploymentId, expectedGeneration: 1, memoryMb: 512 })).rejects.toThrow(/Upgrade Redis 7.2.5 → 7.4.1/);
    for (const depId of [canary!.deploymentId, later]) {
      const d = await h.api.deployments.get({ orgId: h.orgId, deploymentId: depId });
      await h.api.deployments.update({ orgId: h.orgId, deploymentId: depId, expectedGeneration: d.generation, memoryMb: 512 });
    }
    await roundsUntil(t, id, SUNDAY, (x) => x.status === 'completed');
    const rows = await t.db.select().from(deployments).where(inArray(deployments.id, h.ids));
    expect(rows.map((d) => [d.observedSpec?.version, d.observedSpec?.memoryMb, d.observedGeneration === d.generation])).toEqual([
      ['7.4.1', 512, true],
      ['7.4.1', 512, true],
    ]);
    const ups = await t.db.select().from(operations).where(and(inArray(operations.deploymentId, h.ids), eq(operations.kind, 'upgrade')));
    expect(ups.length).toBe(2);
    expect(await itemStates(t, id)).toEqual({ done: 2 });
  });
});
