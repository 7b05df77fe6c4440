/**
 * Snapshots on both drivers, with a real reconciler worker on the sandbox engines and snapshot rounds run on an
 * injected clock: manual snapshots, the daily schedule at each deployment's own time, retention and expiry (the
 * sandbox's copy deleted), the final snapshot a deletion takes before it removes anything, restore into a new
 * deployment, a round that lost its lease writing nothing (and the next holder taking the same copy, not a second
 * one), and the refusals.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentEvents, deployments, jobLeases, sandboxResources, snapshots } from '~/db/schema';
import { joinOrg, makeDeployment, makeOrg, makeUser } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { cloudAudit, sandbox, startWorker, waitFor } from '~/test/reconciler';
import type { Engines } from '../reconciler/engines/types';
import type { Worker } from '../reconciler/worker';
import { slotOf } from '../reconciler/resync';
import { runSnapshotRound, SNAPSHOT_LEASE } from './job';

const DAY = 86_400_000;

describe.each(drivers)('snapshots (%s)', (driver) => {
  let t: TestDb;
  let worker: Worker;
  let engines: Engines;
  const round = (now = new Date(), owner = 'snapshot-test', e: Engines = engines) => runSnapshotRound(t.db, e, { owner, leaseMs: 60_000, now: () => now });

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null')`);
    engines = sandbox(t);
    worker = await startWorker(t, engines);
  });
  afterAll(async () => {
    await worker?.stop({ graceMs: 1000 });
    await t?.drop();
  });

  const get = (id: string) => t.db.select().from(deployments).where(eq(deployments.id, id)).then((r) => r[0]!);
  const snapsOf = (id: string) => t.db.select().from(snapshots).where(eq(snapshots.deploymentId, id)).orderBy(snapshots.createdAt);
  const liveCopy = (snapshotId: string) =>
    t.db.select().from(sandboxResources).where(and(eq(sandboxResources.deploymentId, snapshotId), eq(sandboxResources.kind, 'snapshot'), isNull(sandboxResources.destroyedAt)));
  async function ready(name: string, plan = 'starter') {
    const o = await makeOrg(t.db, name);
    const { id } = await makeDeployment(o.api, o.orgId, name.toLowerCase(), { plan });
    await waitFor(`${name} ready`, () => get(id), (d) => d.phase === 'ready' && d.leaseOwner === null);
    return { ...o, id };
  }
  /** Nothing else may hold the job's lease between tests (each round claims it under its own owner). */
  const freeLease = () => t.db.delete(jobLeases).where(eq(jobLeases.name, SNAPSHOT_LEASE));

  it('takes a snapshot on request, keeps it for the plan’s retention, then deletes it in the engine', async () => {
    const { api, orgId, id } = await ready('Manual');
    const taken = await api.deployments.takeSnapshot({ orgId, deploymentId: id });
    expect(taken).toMatchObject({ kind: 'manual', status: 'pending' });
    await expect(api.deployments.takeSnapshot({ orgId, deploymentId: id })).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already being taken') });
    await freeLease();
    expect(await round(new Date(), 'snapshot-test', engines)).toMatchObject({ leader: true, taken: 1 });
    const [s] = (await snapsOf(id)).filter((x) => x.kind === 'manual');
    expect(s).toMatchObject({ status: 'available', error: null });
    expect(s!.sizeBytes).toBeGreaterThan(0);
    expect(Math.round((s!.expiresAt!.getTime() - s!.completedAt!.getTime()) / DAY)).toBe(7); // Starter keeps 7 days
    expect(await liveCopy(s!.id)).toHaveLength(1);
    const listed = await api.deployments.snapshots({ orgId, deploymentId: id });
    expect(listed).toMatchObject({ retentionDays: 7, snapshots: [expect.objectContaining({ id: s!.id, status: 'available' })] });

    await round(new Date(s!.expiresAt!.getTime() - 60_000));
    expect((await snapsOf(id)).find((x) => x.id === s!.id)!.status).toBe('available');
    // (Rounds on a clock this far ahead also schedule and expire other deployments' daily snapshots.)
    expect((await round(new Date(s!.expiresAt!.getTime() + 1000))).expired).toBeGreaterThanOrEqual(1);
    expect((await snapsOf(id)).find((x) => x.id === s!.id)).toMatchObject({ status: 'deleted', deletedAt: expect.any(Date) });
    expect(await liveCopy(s!.id)).toHaveLength(0);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  });

  it('takes one scheduled snapshot a day per deployment, at the deployment’s own time of day', async () => {
    const { id } = await ready('Daily');
    const dayStart = Date.UTC(2030, 0, 10);
    const slot = dayStart + Math.floor(slotOf(id) * DAY) + 1000;
    const scheduled = async () => (await snapsOf(id)).filter((x) => x.kind === 'scheduled');
    await round(new Date(slot + DAY)); // just past its time of day: the day's snapshot
    expect(await scheduled()).toHaveLength(1);
    await round(new Date(slot + DAY + 3_600_000)); // later the same day: nothing new
    await round(new Date(slot + 2 * DAY - 2000)); // just before the next day's time: still nothing
    expect(await scheduled()).toHaveLength(1);
    await round(new Date(slot + 2 * DAY)); // the next day's time
    const all = await scheduled();
    expect(all).toHaveLength(2);
    expect(all.map((x) => x.status)).toEqual(['available', 'available']);
    // Spread over the day: the time comes from the id, as resync slots do.
    expect(all.map((x) => x.createdAt.getTime())).toEqual([slot + DAY, slot + 2 * DAY]);
  });

  it('leaves a final snapshot when a deployment is deleted, taken before anything is removed, then expired', async () => {
    const { api, orgId, id } = await ready('Final');
    await api.deployments.delete({ orgId, deploymentId: id, confirmName: 'final' });
    await waitFor('deleted', () => get(id), (d) => d.phase === 'deleted');
    const [final] = (await snapsOf(id)).filter((x) => x.kind === 'final');
    expect(final).toMatchObject({ status: 'available' });
    const steps = (await t.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, id)).orderBy(deploymentEvents.id)).map((e) => e.step);
    expect(steps.indexOf('snapshot.final')).toBeGreaterThan(-1);
    expect(steps.indexOf('snapshot.final')).toBeLessThan(steps.indexOf('app.remove'));
    // The deployment is gone; its final snapshot is the one thing kept, and the audit counts it as kept, not orphaned.
    expect(await liveCopy(final!.id)).toHaveLength(1);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
    await round(new Date(final!.expiresAt!.getTime() + 1000));
    expect(await liveCopy(final!.id)).toHaveLength(0);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  });

  it('restores a snapshot into a new deployment seeded from it, even after the source was deleted', async () => {
    const { api, orgId, id } = await ready('Source');
    await api.deployments.takeSnapshot({ orgId, deploymentId: id });
    await round();
    const [s] = await snapsOf(id);
    await api.deployments.delete({ orgId, deploymentId: id, confirmName: 'source' });
    await waitFor('source deleted', () => get(id), (d) => d.phase === 'deleted');
    const key = randomUUID();
    const { id: copy } = await api.deployments.restoreSnapshot({ orgId, snapshotId: s!.id, name: 'source-restored', idempotencyKey: key });
    expect((await api.deployments.restoreSnapshot({ orgId, snapshotId: s!.id, name: 'source-restored', idempotencyKey: key })).id).toBe(copy); // retried: one deployment
    const d = await waitFor('restored ready', () => get(copy), (x) => x.phase === 'ready');
    expect(d.restoredFromSnapshotId).toBe(s!.id);
    expect(d.spec).toMatchObject({ plan: 'starter', region: 'eu-west-1', memoryMb: (await get(id)).spec.memoryMb });
    const [infra] = await t.db.select().from(sandboxResources).where(and(eq(sandboxResources.deploymentId, copy), eq(sandboxResources.kind, 'infra')));
    expect(infra!.spec).toMatchObject({ restoredFrom: s!.id });
    const view = await api.deployments.get({ orgId, deploymentId: copy });
    expect(view.operations[0]!.summary).toMatch(/^Restore a snapshot of source into a new Starter deployment/);
  });

  it('a round that lost its lease writes nothing; the next holder takes the same copy, not a second one', async () => {
    const { api, orgId, id } = await ready('Lease');
    const { id: snapId } = await api.deployments.takeSnapshot({ orgId, deploymentId: id });
    await freeLease();
    // The engine call succeeds, but meanwhile another worker took the lease over (this one stalled past it).
    const stalling: Engines = {
      ...engines,
      infra: {
        ...engines.infra,
        snapshot: async (d, sid, signal) => {
          const r = await engines.infra.snapshot!(d, sid, signal);
          await t.db.update(jobLeases).set({ owner: 'someone-else', expiresAt: sql`now() + interval '1 minute'` }).where(eq(jobLeases.name, SNAPSHOT_LEASE));
          return r;
        },
      },
    };
    expect(await round(new Date(), 'stalled', stalling)).toMatchObject({ leader: false });
    expect((await snapsOf(id)).find((x) => x.id === snapId)!.status).toBe('pending');
    expect(await round(new Date(), 'stalled')).toMatchObject({ leader: false }); // the lease is someone else's now
    await freeLease();
    await round(new Date(), 'successor');
    expect((await snapsOf(id)).find((x) => x.id === snapId)!.status).toBe('available');
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  });

  it('refuses what cannot be done, with a reason, and changes nothing', async () => {
    const free = await ready('Freebie', 'free');
    await expect(free.api.deployments.takeSnapshot({ orgId: free.orgId, deploymentId: free.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED', message: expect.stringContaining('does not include snapshots') });
    const { api, orgId, id, owner } = await ready('Refusals');
    const viewer = await makeUser(t.db, `viewer-${driver}-${randomUUID().slice(0, 6)}@example.test`);
    await joinOrg(owner.api, orgId, viewer, 'viewer');
    await expect(viewer.api.deployments.takeSnapshot({ orgId, deploymentId: id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await viewer.api.deployments.snapshots({ orgId, deploymentId: id })).toMatchObject({ retentionDays: 7 });
    await expect(api.deployments.restoreSnapshot({ orgId, snapshotId: randomUUID(), name: 'nothing', idempotencyKey: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const { id: pendingId } = await api.deployments.takeSnapshot({ orgId, deploymentId: id });
    await expect(api.deployments.restoreSnapshot({ orgId, snapshotId: pendingId, name: 'too-early', idempotencyKey: randomUUID() })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(api.deployments.restoreSnapshot({ orgId, snapshotId: pendingId, name: 'Bad Name!', idempotencyKey: randomUUID() })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect((await snapsOf(id)).map((x) => x.status)).toEqual(['pending']);
    expect(free.orgId).not.toBe(orgId);
  });
});
