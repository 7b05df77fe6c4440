/**
 * The reconciler's lifecycle and fault tests again, with the real adapters — Terraform (emulated CLI, state in
 * a Postgres server database) and Argo CD (emulated API, a real local GitOps repository) — on both drivers.
 * Counts are smaller than with the sandbox: every terraform command is a process.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { deployments } from '~/db/schema';
import { argoSetup, realEngines, tenantFolders, terraformSetup } from '~/test/engines';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { phasesOf, startWorker, waitFor } from '~/test/reconciler';
import type { Worker } from './worker';

describe.each(drivers)('reconciler with Terraform and Argo CD adapters (%s)', (driver) => {
  let t: TestDb;
  let tf: Awaited<ReturnType<typeof terraformSetup>>;
  let argo: Awaited<ReturnType<typeof argoSetup>>;
  let workers: Worker[] = [];
  beforeAll(async () => {
    [t, tf, argo] = await Promise.all([openTestDatabase(driver), terraformSetup(), argoSetup({ faultRate: 0 })]);
  });
  afterEach(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    workers = [];
  });
  afterAll(async () => {
    await argo.close();
    await tf.drop();
    await t.drop();
  });

  const start = async (options: Parameters<typeof startWorker>[2] = {}) => {
    const w = await startWorker(t, realEngines(t.db, tf, argo), { healthPollMs: 100, ...options });
    workers.push(w);
    return w;
  };
  async function tenant(name: string) {
    const owner = await makeUser(t.db, `${name}-${randomUUID().slice(0, 6)}@example.test`);
    const org = await owner.api.orgs.create({ name });
    await t.db.execute(`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null') where slug = 'starter'`);
    return { api: owner.api, orgId: org.id };
  }
  const get = (id: string) => t.db.select().from(deployments).where(eq(deployments.id, id)).then((r) => r[0]!);
  const show = (file: string) => execFileSync('git', ['--git-dir', argo.repo, 'show', `main:${file}`], { encoding: 'utf8' });

  it('creates, resizes, upgrades and deletes, with Terraform progress in the timeline and nothing left behind', async () => {
    const { api, orgId } = await tenant('RealLifecycle');
    await start();
    const { id } = await api.deployments.create({ orgId, name: 'real-one', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: randomUUID() });
    await waitFor('ready', () => get(id), (d) => d.phase === 'ready', 60_000);

    const view = await api.deployments.get({ orgId, deploymentId: id });
    expect(view.outputs).toEqual({ host: `real-one-${id.slice(0, 8)}.eu-west-1.redis.test`, port: 6379, tls: true });
    const events = view.events.map((e) => `${e.step}: ${e.message}`).reverse();
    expect(events).toContain('infra.apply: module.redis.kubernetes_namespace_v1.this: Creating...');
    expect(events).toContain('infra.apply: Apply complete! Resources: 6 added, 0 changed, 0 destroyed.');
    expect(events.find((e) => e.startsWith('app.sync: Committed tenants/'))).toBeDefined();
    expect(events.at(-1)).toBe('ready: Ready at generation 1');
    const { password } = await api.deployments.credentials({ orgId, deploymentId: id });
    expect(events.join('\n')).not.toContain(password);
    expect(show(`tenants/${id}/values.yaml`)).not.toContain(password);

    await api.deployments.update({ orgId, deploymentId: id, expectedGeneration: 1, memoryMb: 512, config: { maxmemoryPolicy: 'allkeys-lru', timeoutSeconds: 60 } });
    await waitFor('resized', () => get(id), (d) => d.phase === 'ready' && d.observedGeneration === 2, 60_000);
    const resized = (await api.deployments.get({ orgId, deploymentId: id })).events.map((e) => e.message);
    expect(resized).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    expect(show(`tenants/${id}/values.yaml`)).toContain('maxmemory 512mb');

    await api.deployments.upgrade({ orgId, deploymentId: id, expectedGeneration: 2, version: '7.4.1' });
    await waitFor('upgraded', () => get(id), (d) => d.phase === 'ready' && d.observedGeneration === 3, 60_000);
    expect(JSON.parse(show(`tenants/${id}/config.json`))).toMatchObject({ chartVersion: '20.3.0', generation: '3' });
    expect(argo.emulator.app(`plinth-${id}`)?.status).toMatchObject({ sync: { status: 'Synced' }, health: { status: 'Healthy' } });
    expect((await api.deployments.credentials({ orgId, deploymentId: id })).password).toBe(password);

    await api.deployments.delete({ orgId, deploymentId: id, confirmName: 'real-one' });
    await waitFor('deleted', () => get(id), (d) => d.phase === 'deleted', 60_000);
    const steps = (await api.deployments.get({ orgId, deploymentId: id })).events.map((e) => e.step);
    expect(steps.indexOf('app.remove')).toBeGreaterThan(steps.indexOf('infra.destroy')); // newest first: app went first
    expect(await tf.audit([id])).toEqual({ orphaned: 0, createdTwice: 0, workspacesLeft: 0 });
    expect(await tenantFolders(argo.repo)).not.toContain(`tenants/${id}`);
    expect(argo.emulator.app(`plinth-${id}`)).toBeNull();
  }, 120_000);

  // Fewer on PGlite: one process, one connection; scale is the server's job.
  const n = driver === 'postgres' ? 20 : 8;
  it(`converges ${n} creates and ${n / 2} deletes with 25% of terraform runs and 15% of Argo CD calls failing`, async () => {
    const { api, orgId } = await tenant('RealFaulty');
    tf.control('all', { failRate: 0.25, failCommands: ['plan', 'apply'] });
    const [calm, faulty] = [argo, await argoSetup({ faultRate: 0.15 })];
    argo = { ...faulty, close: async () => (await faulty.close(), await calm.close()) };
    const worker = await start({ concurrency: 10 });
    const ids: string[] = [];
    for (let i = 0; i < n; i++) {
      ids.push((await api.deployments.create({ orgId, name: `faulty-${i}`, plan: 'starter', region: 'us-east-1', version: '7.2.5', idempotencyKey: randomUUID() })).id);
    }
    await waitFor('all ready', () => phasesOf(t, ids), (p) => p.ready === n, 150_000);
    const gone = ids.slice(0, n / 2);
    for (const id of gone) await api.deployments.delete({ orgId, deploymentId: id, confirmName: (await get(id)).name });
    await waitFor('half deleted', () => phasesOf(t, ids), (p) => p.deleted === n / 2 && p.ready === n / 2, 150_000);
    tf.control('all', {});

    expect(worker.stats.errors).toBeGreaterThan(n / 4); // the faults really happened
    expect(await tf.audit(gone)).toEqual({ orphaned: 0, createdTwice: 0, workspacesLeft: 0 });
    const folders = await tenantFolders(argo.repo);
    const kept = ids.slice(n / 2);
    expect(folders.sort()).toEqual(kept.map((id) => `tenants/${id}`).sort());
    expect(argo.emulator.apps().map((a) => a.metadata.name).sort()).toEqual(kept.map((id) => `plinth-${id}`).sort());
    const live = await tf.sql<{ workspace: string; n: number }[]>`select workspace, count(*)::int as n from terraform_emulator.cloud where destroyed_at is null group by 1`;
    expect(live.filter((r) => kept.includes(r.workspace.slice('plinth-'.length))).map((r) => r.n)).toEqual(kept.map(() => 6));
    const calls = argo.emulator.requests.filter((r) => r.path.startsWith('/api/v1/applications/'));
    expect(calls.every((r) => r.query.project === 'plinth-tenants')).toBe(true);
  }, 320_000);
});
