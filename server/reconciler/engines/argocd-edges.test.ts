/**
 * The Argo CD engine at the edges the real server has (checked against argo-cd's server/application and
 * controller source): a project that does not match the ApplicationSet's, sync windows, a sync already running,
 * perpetual diffs, ComparisonError, Suspended health, operation phases Error and Terminating, a restart that
 * must not lose the "commit not picked up" clock, and a refresh that does not run the ApplicationSet generator.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoSetup } from '~/test/engines';
import { waitFor } from '~/test/reconciler';
import { createArgoEngine } from './argocd';
import { TerminalError, TransientError, type EngineDeployment } from './types';

const spec = { plan: 'pro', version: '7.2.5', region: 'eu-west-1', memoryMb: 1024, replicas: 1, persistence: true, config: { maxmemoryPolicy: 'allkeys-lru', timeoutSeconds: 300 } };
const deployment = (): EngineDeployment => ({ id: randomUUID(), orgId: randomUUID(), name: 'cache', generation: 1, spec, tier: 'shared', cloudAccountRef: null, chartVersion: '19.6.4' });
const values = { endpoint: { host: 'cache.example.test', port: 6379, tls: true } };
const noProgress = () => {};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('argocd engine: a project Plinth cannot trust is never taken as "gone"', () => {
  let argo: Awaited<ReturnType<typeof argoSetup>>;
  beforeAll(async () => {
    // The ApplicationSet generates into "default" while Plinth asks with ?project=plinth-tenants: every read is 404.
    argo = await argoSetup({ appProject: 'default', projects: ['plinth-tenants', 'default'] });
  });
  afterAll(() => argo.close());

  it('refuses to report a removed Application gone, and says which setting to fix', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    await engine.sync(d, values, noProgress);
    await waitFor('generated', async () => argo.emulator.app(`plinth-${d.id}`), (a) => a !== null, 5000);
    const err = await engine.remove(d, noProgress).catch((e) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toBe(
      'The ApplicationSet "plinth-redis" generates Applications into project "default", but ARGOCD_PROJECT is "plinth-tenants": make them the same, or Plinth cannot tell a deleted Application from one it may not see',
    );
    // Nothing was removed: the live Application (and so the infrastructure under it) stays.
    expect(argo.emulator.app(`plinth-${d.id}`)?.metadata.deletionTimestamp).toBeUndefined();
    await expect(engine.status(d)).rejects.toBeInstanceOf(TerminalError);
  });

  it('names a project that does not exist', async () => {
    const engine = createArgoEngine({ ...argo.engineOptions(), api: { ...argo.engineOptions().api, project: 'nope' } });
    await expect(engine.status(deployment())).rejects.toThrow(
      new TerminalError('Argo CD has no project "nope": create it (deploy/argocd/project.yaml) or set ARGOCD_PROJECT to the ApplicationSet\'s project'),
    );
  });
});

describe('argocd engine: waits are waits, storms are not', () => {
  let argo: Awaited<ReturnType<typeof argoSetup>>;
  beforeAll(async () => {
    argo = await argoSetup();
  });
  afterAll(() => argo.close());

  async function generated(engine: ReturnType<typeof createArgoEngine>, d: EngineDeployment) {
    await engine.sync(d, values, noProgress);
    await waitFor('app exists', () => engine.status(d), (s) => s.health !== 'Missing' || s.sync === 'Synced', 5000);
  }

  it('asks for a sync at most once per revision with backoff when the app never becomes Synced (perpetual diff)', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    const name = `plinth-${d.id}`;
    await engine.sync(d, values, noProgress);
    await waitFor('generated', async () => argo.emulator.app(name), (a) => a !== null, 5000);
    argo.emulator.setPerpetualDiff(name, true);
    const started = Date.now();
    let last: unknown;
    // A reconciler polling every 25 ms for 2 s: 80 polls.
    while (Date.now() - started < 2000) {
      last = await engine.status(d).catch((e) => e);
      await sleep(25);
    }
    // Backoff 300 ms, 600 ms, 1.2 s …: a handful of requests, not one per poll.
    expect(argo.emulator.syncRequests(name)).toBeGreaterThanOrEqual(2);
    expect(argo.emulator.syncRequests(name)).toBeLessThanOrEqual(4);
    expect(last).toBeInstanceOf(TransientError);
    expect((last as Error).message).toMatch(/^Argo CD was asked \d times to sync plinth-.* and it is still OutOfSync: a field that never matches \(a perpetual diff\) needs ignoreDifferences/);
  });

  it('treats "another operation is already in progress" as waiting, not as a failed attempt', async () => {
    const engine = createArgoEngine({ ...argo.engineOptions(), syncRetryBaseMs: 0 });
    const d = deployment();
    await generated(engine, d);
    // Someone else's sync (auto-sync, a person in the UI) is running when ours arrives.
    argo.emulator.failNext({ method: 'POST', path: /\/sync$/, status: 400, body: { error: 'another operation is already in progress', code: 9, message: 'another operation is already in progress' } });
    await engine.sync({ ...d, generation: 2, spec: { ...spec, memoryMb: 2048 } }, values, noProgress);
    const polls = await Promise.all([0, 1, 2].map(async (i) => {
      await sleep(i * 30);
      return engine.status({ ...d, generation: 2 }).catch((e) => e);
    }));
    for (const p of polls) expect(p).not.toBeInstanceOf(Error);
    await waitFor('healthy', () => engine.status({ ...d, generation: 2 }), (s) => s.sync === 'Synced' && s.health === 'Healthy', 5000);
  });

  it('waits through a deny sync window (403 is not an RBAC failure) and syncs when it opens', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    const name = `plinth-${d.id}`;
    argo.emulator.setSyncWindow(true);
    try {
      await engine.sync(d, values, noProgress);
      await waitFor('generated', async () => argo.emulator.app(name), (a) => a !== null, 5000);
      const statuses = [];
      for (let i = 0; i < 10; i++) {
        statuses.push(await engine.status(d));
        await sleep(20);
      }
      expect(statuses.at(-1)).toMatchObject({ sync: 'OutOfSync', message: `A sync window of project "plinth-tenants" blocks syncs of ${name} now; Plinth waits for it to open` });
      // One refused request, then quiet until the window's retry time.
      expect(argo.emulator.syncRequests(name)).toBe(1);
    } finally {
      argo.emulator.setSyncWindow(false);
    }
    const opened = createArgoEngine(argo.engineOptions()); // a fresh worker asks at once
    await waitFor('healthy', () => opened.status(d), (s) => s.sync === 'Synced' && s.health === 'Healthy', 5000);
  });

  it('reports ComparisonError with Argo CD’s message, Suspended and Unknown health with theirs', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    const name = `plinth-${d.id}`;
    await generated(engine, d);
    argo.emulator.setComparisonError(name, 'rpc error: code = Unknown desc = Manifest generation error (cached): helm template . failed');
    await expect(engine.status(d)).rejects.toThrow(
      new TransientError(`Argo CD cannot compare ${name} with the GitOps repository: rpc error: code = Unknown desc = Manifest generation error (cached): helm template . failed`),
    );
    argo.emulator.setComparisonError(name, null);
    await waitFor('synced', () => engine.status(d), (s) => s.sync === 'Synced', 5000);
    argo.emulator.setHealth(name, 'Suspended', 'StatefulSet is paused');
    expect(await engine.status(d)).toMatchObject({ health: 'Suspended', message: `Argo CD reports ${name} as Suspended: StatefulSet is paused` });
    argo.emulator.setHealth(name, 'Unknown', 'health check failed');
    expect(await engine.status(d)).toMatchObject({ health: 'Unknown', message: `Argo CD cannot assess the health of ${name}: health check failed` });
    argo.emulator.setHealth(name, null);
  });

  it('handles operation phases Error (a new sync, backed off) and Terminating (waits)', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    const name = `plinth-${d.id}`;
    await engine.sync(d, values, noProgress);
    await waitFor('sync running', () => engine.status(d).then(() => argo.emulator.app(name)), (a) => a?.status.operationState?.phase === 'Running', 5000);
    argo.emulator.terminate(name);
    expect(await engine.status(d)).toMatchObject({ sync: 'OutOfSync', message: `Argo CD is terminating a sync of ${name}` });
    await waitFor('terminated', async () => argo.emulator.app(name), (a) => a?.status.operationState?.phase === 'Failed', 5000);
    await waitFor('resynced', () => engine.status(d).catch(() => null), (s) => s?.sync === 'Synced', 5000);
    argo.emulator.setPerpetualDiff(name, false);
    const d2 = { ...d, generation: 2, spec: { ...spec, memoryMb: 512 } };
    await engine.sync(d2, values, noProgress);
    await waitFor('sync running', () => engine.status(d2).catch(() => null).then(() => argo.emulator.app(name)), (a) => a?.status.operationState?.phase === 'Running', 5000);
    argo.emulator.failSync(name, 'ComparisonError: failed to load target state', 'Error');
    const err = await engine.status(d2).catch((e) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(new RegExp(`^Argo CD could not sync ${name}: ComparisonError: failed to load target state; a new sync`));
    await waitFor('recovered', () => engine.status(d2).catch(() => null), (s) => s?.sync === 'Synced' && s.health === 'Healthy', 5000);
  });

  it('keeps the "commit not picked up" clock across a restart (it comes from the commit, not from memory)', async () => {
    const d = deployment();
    argo.emulator.pause(); // the ApplicationSet controller does nothing
    try {
      await createArgoEngine(argo.engineOptions()).sync(d, values, noProgress);
      await sleep(1100); // commit times have whole seconds
      // A new process (a restarted worker, or the one that took the lease over) has never seen this commit.
      const restarted = createArgoEngine({ ...argo.engineOptions(), generatorTimeoutMs: 1000 });
      await expect(restarted.status(d)).rejects.toThrow(/^Argo CD has not created application plinth-.* from tenants\/.*: check the ApplicationSet/);
    } finally {
      argo.emulator.resume();
    }
  });

  it('asks for a refresh that compares one Application again without generating Applications for other folders', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    await generated(engine, d);
    await waitFor('healthy', () => engine.status(d), (s) => s.sync === 'Synced' && s.health === 'Healthy', 5000);
    argo.emulator.pause();
    try {
      const other = deployment();
      await engine.sync(other, values, noProgress); // a new folder, not generated while the controller sleeps
      await engine.sync({ ...d, generation: 2, spec: { ...spec, memoryMb: 4096 } }, values, noProgress);
      const s = await engine.status({ ...d, generation: 2 }); // refreshes d's Application
      expect(argo.emulator.requests.some((r) => r.query.refresh === 'normal')).toBe(true);
      expect(s.sync).toBe('OutOfSync');
      expect(argo.emulator.app(`plinth-${other.id}`)).toBeNull();
    } finally {
      argo.emulator.resume();
    }
  });
});
