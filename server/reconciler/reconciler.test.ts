import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { billingSegments, deployments, operations, sandboxResources } from '~/db/schema';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { cloudAudit, phasesOf, sandbox, startWorker, waitFor } from '~/test/reconciler';
import type { Engines } from './engines/types';
import type { Worker } from './worker';

describe.each(drivers)('reconciler (%s)', (driver) => {
  let t: TestDb;
  let workers: Worker[] = [];
  const start = async (...args: Parameters<typeof startWorker> extends [unknown, ...infer R] ? R : never) => {
    const w = await startWorker(t, ...args);
    workers.push(w);
    return w;
  };
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  });
  afterAll(() => t.drop());

  async function tenant(name: string) {
    const owner = await makeUser(t.db, `${name}-${randomUUID().slice(0, 6)}@example.test`);
    const org = await owner.api.orgs.create({ name });
    return { api: owner.api, orgId: org.id, user: owner.user };
  }
  const create = (api: Awaited<ReturnType<typeof tenant>>['api'], orgId: string, name: string, extra: Record<string, unknown> = {}) =>
    api.deployments.create({ orgId, name, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID(), ...extra });
  const get = (id: string) => t.db.select().from(deployments).where(eq(deployments.id, id)).then((r) => r[0]!);

  it('creates, resizes, upgrades and deletes a deployment, infrastructure before app and app before infrastructure', async () => {
    const { api, orgId } = await tenant('Lifecycle');
    await start(sandbox(t));
    const { id } = await create(api, orgId, 'cache-one');
    await waitFor('ready', () => get(id), (d) => d.phase === 'ready');

    const d1 = await api.deployments.get({ orgId, deploymentId: id });
    expect(d1).toMatchObject({ phase: 'ready', generation: 1, observedGeneration: 1, hasSecrets: true });
    expect(d1.outputs?.host).toContain('cache-one');
    expect(d1.events.map((e) => e.step).reverse()).toEqual(['provisioning', 'infra.apply', 'app.sync', 'ready']);
    expect(d1.events.find((e) => e.message.startsWith('Infrastructure ready'))?.durationMs).toBeGreaterThanOrEqual(0);
    expect(d1.operations).toMatchObject([{ kind: 'create', status: 'succeeded' }]);
    const creds = await api.deployments.credentials({ orgId, deploymentId: id });
    expect(creds.url).toBe(`rediss://default:${encodeURIComponent(creds.password)}@${d1.outputs!.host}:6379`);
    expect((await get(id)).secretsEnc).not.toContain(creds.password);

    await api.deployments.update({ orgId, deploymentId: id, expectedGeneration: 1, memoryMb: 512, config: { maxmemoryPolicy: 'allkeys-lru', timeoutSeconds: 300 } });
    await waitFor('resized', () => get(id), (d) => d.phase === 'ready' && d.observedGeneration === 2);
    await api.deployments.upgrade({ orgId, deploymentId: id, expectedGeneration: 2, version: '7.4.1' });
    const upgraded = await waitFor('upgraded', () => get(id), (d) => d.phase === 'ready' && d.observedGeneration === 3);
    expect(upgraded.observedSpec).toMatchObject({ memoryMb: 512, version: '7.4.1', config: { maxmemoryPolicy: 'allkeys-lru', timeoutSeconds: 300 } });
    const infra = await t.db.select().from(sandboxResources).where(eq(sandboxResources.deploymentId, id));
    expect(infra.map((r) => [r.kind, r.revision]).sort()).toEqual([['app', 3], ['infra', 2]]);

    await api.deployments.delete({ orgId, deploymentId: id, confirmName: 'cache-one' });
    await waitFor('deleted', () => get(id), (d) => d.phase === 'deleted');
    const steps = (await api.deployments.get({ orgId, deploymentId: id })).events.map((e) => e.step);
    expect(steps.indexOf('app.remove')).toBeGreaterThan(steps.indexOf('infra.destroy')); // newest first: app went first
    expect(await api.deployments.list({ orgId })).toEqual([]);
    // Billing followed the phases: billable from ready, re-rated when the size changed, stopped at the delete request.
    const segments = await t.db.select().from(billingSegments).where(eq(billingSegments.deploymentId, id)).orderBy(billingSegments.id);
    expect(segments.map((s) => [s.billable, s.planSlug, s.storageGb])).toEqual([[true, 'starter', 2], [true, 'starter', 1], [false, null, 0]]);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  });

  it('converges 200 creates and 100 deletes with 30% transient failures on every engine call', async () => {
    const { api, orgId } = await tenant('Faulty');
    await t.db.execute(`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'starter'`);
    const engines = sandbox(t, { transientFaultRate: 0.3 });
    await start(engines, { concurrency: 32 });
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) ids.push((await create(api, orgId, `faulty-${i}`)).id);
    await waitFor('all ready', () => phasesOf(t, ids), (p) => p.ready === 200, 120_000);
    for (const id of ids.slice(0, 100)) {
      const d = await get(id);
      await api.deployments.delete({ orgId, deploymentId: id, confirmName: d.name });
    }
    await waitFor('half deleted', () => phasesOf(t, ids), (p) => p.deleted === 100 && p.ready === 100, 120_000);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
    const [retried] = await t.db.select({ n: count() }).from(deployments).where(eq(deployments.orgId, orgId));
    expect(retried?.n).toBe(200);
    expect(workers[0]!.stats.errors).toBeGreaterThan(50); // the faults really happened
  }, 240_000);

  it('ends a permanent failure in failed with the engine’s reason, and Retry recovers once the fault is gone', async () => {
    const { api, orgId } = await tenant('Permanent');
    const engines = sandbox(t, { permanentFaultRate: 1 });
    await start(engines);
    const { id } = await create(api, orgId, 'doomed');
    const failed = await waitFor('failed', () => get(id), (d) => d.phase === 'failed');
    expect(failed.lastError).toMatch(/no capacity for plan starter \(injected permanent fault\)/);
    expect(failed.nextReconcileAt).toBeNull();
    const view = await api.deployments.get({ orgId, deploymentId: id });
    expect(view.operations[0]).toMatchObject({ kind: 'create', status: 'failed' });
    expect(view.events[0]).toMatchObject({ level: 'error', step: 'failed' });

    engines.options.permanentFaultRate = 0;
    await api.deployments.retry({ orgId, deploymentId: id });
    await waitFor('recovered', () => get(id), (d) => d.phase === 'ready');
    expect((await api.deployments.get({ orgId, deploymentId: id })).operations.map((o) => [o.kind, o.status])).toEqual([
      ['retry', 'succeeded'],
      ['create', 'failed'],
    ]);
    await expect(api.deployments.retry({ orgId, deploymentId: id })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('accepts exactly one of 20 concurrent updates per generation and converges to the last accepted spec', async () => {
    const { api, orgId } = await tenant('Racy');
    await start(sandbox(t));
    const { id } = await create(api, orgId, 'contended', { plan: 'pro' });
    await waitFor('ready', () => get(id), (d) => d.phase === 'ready');
    const sizes = [256, 512, 1024, 2048, 4096, 8192];
    let accepted: number | undefined;
    for (let generation = 1; generation <= 3; generation++) {
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => api.deployments.update({ orgId, deploymentId: id, expectedGeneration: generation, memoryMb: sizes[(i + generation) % sizes.length]!, replicas: i % 3, config: { maxmemoryPolicy: 'allkeys-lru', timeoutSeconds: generation * 100 + i } })),
      );
      const ok = results.filter((r) => r.status === 'fulfilled');
      const conflicts = results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'CONFLICT');
      expect(ok).toHaveLength(1);
      expect(conflicts).toHaveLength(19);
      expect((conflicts[0] as PromiseRejectedResult).reason.message).toMatch(/^This deployment changed since you loaded it: Change .*configuration \(by racy-.*\)\. Review its current settings and try again\.$/i);
      accepted = results.indexOf(ok[0]!);
      expect((ok[0] as PromiseFulfilledResult<{ generation: number }>).value.generation).toBe(generation + 1);
    }
    const final = await waitFor('converged', () => get(id), (d) => d.phase === 'ready' && d.observedGeneration === 4);
    expect(final.observedSpec).toEqual(final.spec);
    expect(final.spec).toMatchObject({ memoryMb: sizes[(accepted! + 3) % sizes.length], replicas: accepted! % 3, config: { timeoutSeconds: 300 + accepted! } });
  });

  it('never lets two workers hold one deployment: no engine call overlaps for the same deployment', async () => {
    const { api, orgId } = await tenant('TwoWorkers');
    await t.db.execute(`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'pro'`);
    const base = sandbox(t, { latencyMs: 5, transientFaultRate: 0.1 });
    const busy = new Set<string>();
    let overlaps = 0;
    const guard = <D extends { id: string }, A extends unknown[], R>(fn: (d: D, ...a: A) => Promise<R>) =>
      async (d: D, ...a: A): Promise<R> => {
        if (busy.has(d.id)) overlaps++;
        busy.add(d.id);
        try {
          return await fn(d, ...a);
        } finally {
          busy.delete(d.id);
        }
      };
    const engines: Engines = {
      infra: { ...base.infra, apply: guard(base.infra.apply), destroy: guard(base.infra.destroy) },
      delivery: { ...base.delivery, sync: guard(base.delivery.sync), remove: guard(base.delivery.remove) },
    };
    const a = await start(engines, { concurrency: 8 });
    const b = await start(engines, { concurrency: 8 });
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) ids.push((await create(api, orgId, `shared-${i}`, { plan: 'pro' })).id);
    await waitFor('all ready', () => phasesOf(t, ids), (p) => p.ready === 60, 120_000);
    expect(overlaps).toBe(0);
    expect(a.stats.passes).toBeGreaterThan(0);
    expect(b.stats.passes).toBeGreaterThan(0);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
  }, 240_000);

  it('makes one deployment from a double-click, and enforces the Free quota in the same transaction', async () => {
    const { api, orgId } = await tenant('Quota');
    const key = randomUUID();
    const input = { orgId, name: 'free-one', plan: 'free', region: 'us-east-1', version: '7.2.5', idempotencyKey: key };
    const [x, y] = await Promise.all([api.deployments.create(input), api.deployments.create(input)]);
    expect(x.id).toBe(y.id);
    const second = await Promise.allSettled([
      api.deployments.create({ ...input, name: 'free-two', idempotencyKey: randomUUID() }),
      api.deployments.create({ ...input, name: 'free-three', idempotencyKey: randomUUID() }),
    ]);
    expect(second.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((second[0] as PromiseRejectedResult).reason.message).toBe('The Free plan allows 1 deployment per organization, and you have 1. Delete one or choose another plan.');
    const [n] = await t.db.select({ n: count() }).from(deployments).where(eq(deployments.orgId, orgId));
    expect(n?.n).toBe(1);
  });

  it('refuses bad input with a clear message at the field, and writes nothing', async () => {
    const { api, orgId } = await tenant('BadInput');
    const before = await t.db.select({ n: count() }).from(operations);
    const base = { orgId, name: 'good-name', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ name: 'Bad Name' }, 'BAD_REQUEST', 'Use lowercase letters, digits and hyphens'],
      [{ name: 'ab' }, 'BAD_REQUEST', 'Use at least 3 characters.'],
      [{ plan: 'platinum' }, 'BAD_REQUEST', 'There is no plan called "platinum"'],
      [{ region: 'mars-1' }, 'BAD_REQUEST', 'Region "mars-1" is not available'],
      [{ version: '6.0.0' }, 'BAD_REQUEST', 'Version "6.0.0" is not offered'],
      [{ memoryMb: 8192 }, 'BAD_REQUEST', 'The Starter plan allows up to 1 GB of memory'],
      [{ memoryMb: 300 }, 'BAD_REQUEST', 'Choose one of the listed memory sizes.'],
      [{ replicas: 2 }, 'BAD_REQUEST', 'The Starter plan has no replicas'],
      [{ plan: 'free', persistence: true }, 'BAD_REQUEST', 'The Free plan has no persistence'],
      [{ config: { maxmemoryPolicy: 'yolo', timeoutSeconds: 0 } }, 'BAD_REQUEST', 'Choose an eviction policy from the list.'],
      [{ config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: -1 } }, 'BAD_REQUEST', 'Use 0 (never) or more.'],
    ];
    for (const [patch, code, message] of cases) {
      const err = await api.deployments.create({ ...base, ...patch } as typeof base).then(() => null, (e) => e);
      expect({ patch, code: err?.code }).toEqual({ patch, code });
      expect(err.message).toContain(message);
    }
    expect(await t.db.select({ n: count() }).from(operations)).toEqual(before);

    const { id } = await api.deployments.create(base);
    await expect(api.deployments.update({ orgId, deploymentId: id, expectedGeneration: 1 })).rejects.toMatchObject({ message: 'Nothing changed: these are already the deployment’s settings.' });
    await expect(api.deployments.upgrade({ orgId, deploymentId: id, expectedGeneration: 1, version: '7.2.5' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.deployments.delete({ orgId, deploymentId: id, confirmName: 'good' })).rejects.toMatchObject({ message: 'Type the name "good-name" exactly to confirm.' });
    await expect(create(api, orgId, 'good-name')).rejects.toMatchObject({ code: 'CONFLICT', message: 'A deployment named "good-name" already exists. Choose another name.' });
    await api.deployments.delete({ orgId, deploymentId: id, confirmName: 'good-name' });
    await expect(api.deployments.update({ orgId, deploymentId: id, expectedGeneration: 2, memoryMb: 512 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This deployment is being deleted; it can no longer be changed.',
    });
  });
});
