/**
 * The reconciler's contract under changes that race a pass, on both drivers: a change arriving during a failing
 * pass is reconciled without Retry; a pass whose lease was taken over is aborted before its next side effect;
 * backoff counts claims and starts over after progress; a worker that dies on every pass ends in failed; a
 * deletion observes its generation and is checked once more, so a late engine write is reclaimed.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { deploymentEvents, deployments, sandboxResources } from '~/db/schema';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { sandbox, startWorker, waitFor } from '~/test/reconciler';
import { TerminalError, TransientError, type EngineDeployment, type Engines } from './engines/types';
import { claim } from './store';
import type { Worker } from './worker';

/** A door an engine call waits at until the test opens it, to hold a pass at a known point. */
function gate() {
  let open!: () => void;
  let reached!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const arrived = new Promise<void>((r) => (reached = r));
  return { open, arrived, pass: async () => (reached(), opened) };
}

describe.each(drivers)('reconciler fencing (%s)', (driver) => {
  let t: TestDb;
  let workers: Worker[] = [];
  const start = async (engines: Engines, o: Parameters<typeof startWorker>[2] = {}) => {
    const w = await startWorker(t, engines, o);
    workers.push(w);
    return w;
  };
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await t.db.execute(sql`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'starter'`);
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  });
  afterAll(() => t.drop());

  async function tenant() {
    const owner = await makeUser(t.db, `fence-${randomUUID().slice(0, 6)}@example.test`);
    const org = await owner.api.orgs.create({ name: 'Fence' });
    return { api: owner.api, orgId: org.id };
  }
  const get = (id: string) => t.db.select().from(deployments).where(eq(deployments.id, id)).then((r) => r[0]!);
  const liveOf = (id: string) => t.db.select().from(sandboxResources).where(and(eq(sandboxResources.deploymentId, id), isNull(sandboxResources.destroyedAt)));

  for (const kind of ['permanent', 'transient'] as const) {
    for (const change of ['resize', 'delete'] as const) {
      it(`reconciles a ${change} that arrives during a ${kind}ly failing pass, without Retry`, async () => {
        const { api, orgId } = await tenant();
        const base = sandbox(t);
        let failing = true;
        let door = gate();
        const engines: Engines = {
          ...base,
          infra: {
            ...base.infra,
            async apply(d, progress, signal) {
              if (failing && d.generation === 1) {
                await door.pass();
                throw kind === 'permanent' ? new TerminalError('no capacity (test)') : new TransientError('timed out (test)');
              }
              return base.infra.apply(d, progress, signal);
            },
          },
        };
        // A backoff of minutes: only the "a new generation is due now" rule can make this converge promptly.
        await start(engines, { backoffBaseMs: 600_000 });
        const { id } = await api.deployments.create({ orgId, name: `race-${change}-${kind}`, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() });
        await door.arrived;
        if (change === 'resize') await api.deployments.update({ orgId, deploymentId: id, expectedGeneration: 1, memoryMb: 512 });
        else await api.deployments.delete({ orgId, deploymentId: id, confirmName: `race-${change}-${kind}` });
        door.open();
        if (change === 'resize') {
          const d = await waitFor('resized', () => get(id), (x) => x.phase === 'ready' && x.observedGeneration === 2, 20_000);
          expect(d.attempts).toBe(0);
          expect((await liveOf(id)).find((r) => r.kind === 'infra')?.spec).toMatchObject({ memoryMb: 512 });
        } else {
          const d = await waitFor('deleted', () => get(id), (x) => x.phase === 'deleted', 20_000);
          expect(d.observedGeneration).toBe(d.generation); // a finished deletion observes its generation
          expect(await liveOf(id)).toEqual([]);
        }
        const steps = (await t.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, id))).map((e) => e.step);
        expect(steps).toContain(kind === 'permanent' ? 'failed' : 'retry'); // the failure really happened
        door = gate();
        failing = false;
      });
    }
  }

  it('keeps a Retry now that arrives while a backoff pass of a failed deployment is failing: the pass does not overwrite it', async () => {
    const { api, orgId } = await tenant();
    const base = sandbox(t);
    let applies = 0;
    const door = gate();
    const engines: Engines = {
      ...base,
      infra: {
        ...base.infra,
        async apply(d, progress, signal) {
          applies++;
          if (applies === 1) throw new TransientError('timed out (test)'); // failed at once (failAfterAttempts 1)
          if (applies === 2) {
            await door.pass(); // the backoff pass: the phase still reads failed while it runs
            throw new TerminalError('no capacity (test)'); // never retried on its own
          }
          return base.infra.apply(d, progress, signal);
        },
      },
    };
    await start(engines, { failAfterAttempts: 1, backoffBaseMs: 20 });
    const { id } = await api.deployments.create({ orgId, name: 'retry-race', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() });
    await door.arrived;
    expect((await get(id)).phase).toBe('failed');
    await api.deployments.retry({ orgId, deploymentId: id });
    door.open();
    // Only the retry can bring it back: the in-flight pass ends in a permanent failure.
    const d = await waitFor('ready after the retry', () => get(id), (x) => x.phase === 'ready', 20_000);
    expect(d.requeues).toBe(1);
    expect(d.attempts).toBe(0);
    expect(applies).toBe(3);
  });

  it('aborts a pass whose lease was taken over before its next engine side effect, and changes nothing after', async () => {
    const { api, orgId } = await tenant();
    const base = sandbox(t);
    const door = gate();
    let signalSeen: AbortSignal | undefined;
    let syncs = 0;
    const engines: Engines = {
      infra: {
        ...base.infra,
        async apply(d, progress, signal) {
          signalSeen = signal;
          await door.pass(); // stalled here while another worker takes over
          return base.infra.apply(d, progress, signal);
        },
      },
      delivery: { ...base.delivery, sync: async (...a) => (syncs++, base.delivery.sync(...a)) },
    };
    await start(engines, { leaseMs: 600 });
    const { id } = await api.deployments.create({ orgId, name: 'stalled', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() });
    await door.arrived;
    // Another worker takes the deployment over (as a claim after expiry would): the heartbeat extends nothing.
    await t.db.update(deployments).set({ leaseOwner: 'someone-else', leaseExpiresAt: sql`now() + interval '1 hour'` }).where(eq(deployments.id, id));
    await waitFor('aborted', async () => signalSeen?.aborted ?? false, (x) => x, 10_000);
    expect(String((signalSeen!.reason as Error).message)).toMatch(/not extended|ran out/);
    door.open();
    await waitFor('pass gave up', async () => workers[0]!.stats.aborted, (n) => n === 1, 10_000);
    expect(await liveOf(id)).toEqual([]); // the stalled apply created nothing
    expect(syncs).toBe(0);
    expect((await get(id)).leaseOwner).toBe('someone-else');
  });

  it('counts attempts at claim time, starts the count over after progress, and fails a deployment whose worker keeps dying', async () => {
    const { api, orgId } = await tenant();
    const base = sandbox(t);
    let applyFailures = 3;
    const engines: Engines = {
      infra: { ...base.infra, apply: async (d, p, s) => (applyFailures-- > 0 ? Promise.reject(new TransientError('apply timed out (test)')) : base.infra.apply(d, p, s)) },
      delivery: { ...base.delivery, sync: async () => Promise.reject(new TransientError('sync timed out (test)')) },
    };
    const w = await start(engines, { backoffBaseMs: 5 });
    const { id } = await api.deployments.create({ orgId, name: 'counted', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() });
    const messages = async () => (await t.db.select().from(deploymentEvents).where(eq(deploymentEvents.deploymentId, id)).orderBy(deploymentEvents.id)).map((e) => e.message);
    await waitFor('sync failing', messages, (m) => m.some((x) => x.includes('sync timed out')), 20_000);
    await w.stop();
    const m = await messages();
    expect(m.filter((x) => x.includes('apply timed out')).map((x) => /Attempt (\d+)/.exec(x)![1])).toEqual(['1', '2', '3']);
    // The infrastructure step completed, so the first failed sync is attempt 1 again.
    expect(m.find((x) => x.includes('sync timed out'))).toMatch(/^Attempt 1 failed/);
    expect((await get(id)).conditions.find((c) => c.type === 'InfraReady')).toMatchObject({ status: true, observedGeneration: 1 });

    // A worker that dies in every pass: claimed five times, never an outcome.
    const { id: doomed } = await api.deployments.create({ orgId, name: 'crashy', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() });
    await t.db.update(deployments).set({ nextReconcileAt: sql`now() + interval '1 hour'` }).where(eq(deployments.id, id));
    for (let i = 1; i <= 5; i++) {
      await t.db.update(deployments).set({ nextReconcileAt: sql`now() - interval '1 second'`, leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(deployments.id, doomed));
      const got = await claim(t.db, `dead-worker-${i}`, 10, 60_000);
      expect(got.map((d) => [d.id, d.attempts, d.unfinishedPasses])).toEqual([[doomed, i, i]]);
    }
    await t.db.update(deployments).set({ nextReconcileAt: sql`now()`, leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(deployments.id, doomed));
    await start(sandbox(t));
    const failed = await waitFor('failed', () => get(doomed), (d) => d.phase === 'failed', 20_000);
    expect(failed.lastError).toBe('The worker stopped while reconciling this deployment 5 times');
    expect(failed).toMatchObject({ unfinishedPasses: 0, nextReconcileAt: null });
    expect(await liveOf(doomed)).toEqual([]);
  });

  it('checks a deleted deployment once more later, and reclaims what a stalled worker wrote after the deletion', async () => {
    const { api, orgId } = await tenant();
    const engines = sandbox(t);
    await start(engines, { reclaimAfterMs: 1500 });
    const { id } = await api.deployments.create({ orgId, name: 'late-write', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() });
    const ready = await waitFor('ready', () => get(id), (d) => d.phase === 'ready');
    const stale: EngineDeployment = { id, orgId, name: ready.name, generation: 1, spec: ready.spec, tier: 'shared', cloudAccountRef: null, chartVersion: '7.2.5' };
    await api.deployments.delete({ orgId, deploymentId: id, confirmName: 'late-write' });
    const deleted = await waitFor('deleted', () => get(id), (d) => d.phase === 'deleted');
    expect(deleted.nextReconcileAt).not.toBeNull(); // the reclaim pass is scheduled
    // What a worker that stalled mid-apply would write on waking up: its engine call lands after the deletion.
    await engines.infra.apply(stale, () => {});
    await engines.delivery.sync(stale, {}, () => {});
    expect(await liveOf(id)).toHaveLength(2);
    await waitFor('reclaimed', () => liveOf(id), (r) => r.length === 0, 20_000);
    await waitFor('quiet', () => get(id), (d) => d.nextReconcileAt === null, 20_000);
  });
});
