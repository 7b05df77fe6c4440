/**
 * The Argo CD engine against the Argo CD emulator and a real (local, bare) GitOps repository: commits, the
 * ApplicationSet turning folders into Applications, refresh and sync requests, `?project=` on every call,
 * deletion that waits for the Application to disappear, and every error mapping.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoSetup, tenantFolders } from '~/test/engines';
import { waitFor } from '~/test/reconciler';
import { argoError, createArgoApi } from './argocd-api';
import { createArgoEngine } from './argocd';
import { appConfig } from './argocd-values';
import { createGitOps } from './gitops';
import { TerminalError, TransientError, type EngineDeployment } from './types';

const spec = { plan: 'pro', version: '7.2.5', region: 'eu-west-1', memoryMb: 1024, replicas: 1, persistence: true, config: { maxmemoryPolicy: 'allkeys-lru', timeoutSeconds: 300 } };
const deployment = (extra: Partial<EngineDeployment> = {}): EngineDeployment => ({ id: randomUUID(), orgId: randomUUID(), name: 'cache', generation: 1, spec, tier: 'shared', cloudAccountRef: null, chartVersion: '19.6.4', ...extra });
const values = { endpoint: { host: 'cache.example.test', port: 6379, tls: true } };
const noProgress = () => {};

describe('argocd engine (emulator, local GitOps repository)', () => {
  let argo: Awaited<ReturnType<typeof argoSetup>>;
  beforeAll(async () => {
    argo = await argoSetup();
  });
  afterAll(async () => {
    await argo.close();
  });
  const show = (file: string) => execFileSync('git', ['--git-dir', argo.repo, 'show', `main:${file}`], { encoding: 'utf8' });

  it('commits the folder, gets the Application generated, asks for a sync, and reports Healthy at our commit', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    const progress: string[] = [];
    await engine.sync(d, values, (m) => void progress.push(m));
    expect(progress[0]).toMatch(new RegExp(`^Committed tenants/${d.id} at [0-9a-f]{7}; Argo CD application plinth-${d.id} will pick it up$`));
    expect(JSON.parse(show(`tenants/${d.id}/config.json`))).toEqual({
      app: `plinth-${d.id}`, deploymentId: d.id, orgId: d.orgId, name: 'cache', tier: 'shared', namespace: `plinth-${d.id}`, cluster: 'in-cluster', chartVersion: '19.6.4', generation: '1',
    });
    const chart = show(`tenants/${d.id}/values.yaml`);
    expect(chart).toContain('"existingSecret": "redis-');
    expect(chart).toContain('maxmemory-policy allkeys-lru');
    expect(show('_base/redis/values.yaml')).toContain('Base values for the Bitnami Redis chart');

    await engine.sync(d, values, (m) => void progress.push(m)); // same values: no new commit
    expect(progress[1]).toBe('The GitOps repository already holds generation 1');
    expect(execFileSync('git', ['--git-dir', argo.repo, 'rev-list', '--count', 'main'], { encoding: 'utf8' }).trim()).toBe('1');

    const status = await waitFor('healthy', () => engine.status(d), (s) => s.sync === 'Synced' && s.health === 'Healthy', 10_000);
    const head = execFileSync('git', ['--git-dir', argo.repo, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
    expect(status.revision).toBe(head);
    const syncs = argo.emulator.requests.filter((r) => r.path === `/api/v1/applications/plinth-${d.id}/sync`);
    expect(syncs).toHaveLength(1);
    expect(syncs[0]).toMatchObject({ method: 'POST', query: { project: 'plinth-tenants' }, body: { project: 'plinth-tenants', prune: true } });
    expect(argo.emulator.app(`plinth-${d.id}`)?.spec).toMatchObject({ project: 'plinth-tenants', destination: { name: 'in-cluster', namespace: `plinth-${d.id}` } });
  });

  it('does not report an update Synced until Argo CD has compared our new commit (it asks for a refresh)', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    await engine.sync(d, values, noProgress);
    await waitFor('healthy', () => engine.status(d), (s) => s.sync === 'Synced' && s.health === 'Healthy', 10_000);
    argo.emulator.pause(); // Argo CD has not polled git since: the app still shows the old revision, Synced
    const d2 = { ...d, generation: 2, spec: { ...spec, memoryMb: 2048 } };
    await engine.sync(d2, values, noProgress);
    expect(argo.emulator.app(`plinth-${d.id}`)?.status.sync.status).toBe('Synced');
    expect((await engine.status(d2)).sync).toBe('OutOfSync');
    expect(argo.emulator.requests.some((r) => r.path === `/api/v1/applications/plinth-${d.id}` && r.query.refresh === 'normal' && r.query.project === 'plinth-tenants')).toBe(true);
    argo.emulator.resume();
    await waitFor('updated', () => engine.status(d2), (s) => s.sync === 'Synced' && s.health === 'Healthy', 10_000);
    expect(argo.emulator.app(`plinth-${d.id}`)?.status.sync.revisions[1]).toBe(execFileSync('git', ['--git-dir', argo.repo, 'rev-parse', 'main'], { encoding: 'utf8' }).trim());
  });

  it('on delete removes the folder and stays pending until the Application is gone (404), then gone', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    await engine.sync(d, values, noProgress);
    await waitFor('healthy', () => engine.status(d), (s) => s.health === 'Healthy', 10_000);
    const progress: string[] = [];
    expect(await engine.remove(d, (m) => void progress.push(m))).toBe('pending');
    expect(progress[0]).toMatch(/^Removed tenants\/.* at [0-9a-f]{7}; waiting for Argo CD to delete plinth-/);
    expect(await tenantFolders(argo.repo)).not.toContain(`tenants/${d.id}`);
    const states = new Set<string>(['pending']);
    await waitFor('gone', async () => {
      const s = await engine.remove(d, noProgress);
      states.add(s);
      return s;
    }, (s) => s === 'gone', 10_000);
    expect(states).toEqual(new Set(['pending', 'gone']));
    expect(argo.emulator.app(`plinth-${d.id}`)).toBeNull();
    expect(await engine.remove(d, noProgress)).toBe('gone'); // idempotent
  });

  it('says where to look when the ApplicationSet does not create or delete the Application in time', async () => {
    const engine = createArgoEngine({ ...argo.engineOptions(), generatorTimeoutMs: 200 });
    const d = deployment();
    argo.emulator.pause(); // the ApplicationSet controller does nothing
    await engine.sync(d, values, noProgress);
    expect(await engine.status(d)).toEqual({ sync: 'OutOfSync', health: 'Missing', revision: '' });
    await new Promise((r) => setTimeout(r, 250));
    await expect(engine.status(d)).rejects.toThrow(new TransientError(`Argo CD has not created application plinth-${d.id} from tenants/${d.id}: check the ApplicationSet (kubectl -n argocd get applicationset -o yaml, condition ErrorOccurred) and that Argo CD can read the GitOps repository`));
    argo.emulator.resume(); // still overdue until the controller's next poll: errors until then are expected
    await waitFor('healthy', () => engine.status(d).catch(() => null), (s) => s?.health === 'Healthy', 10_000);
    argo.emulator.pause();
    expect(await engine.remove(d, noProgress)).toBe('pending');
    await new Promise((r) => setTimeout(r, 250));
    await expect(engine.remove(d, noProgress)).rejects.toThrow(/^Argo CD still has application plinth-.* although tenants\/.* is gone: the ApplicationSet's applicationsSync policy must allow deletion/);
    argo.emulator.resume();
    await waitFor('gone', () => engine.remove(d, noProgress).catch(() => null), (s) => s === 'gone', 10_000);
  });

  it('passes ?project= on every application call; without it Argo CD would say 403 for a missing app', async () => {
    const calls = argo.emulator.requests.filter((r) => r.path.startsWith('/api/v1/applications/'));
    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((r) => r.query.project !== 'plinth-tenants')).toEqual([]);
    const res = await fetch(`${argo.emulator.url}/api/v1/applications/plinth-missing`, { headers: { authorization: `Bearer ${argo.emulator.token}` } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'permission denied', code: 7, message: 'permission denied' });
    expect(await createArgoApi({ server: argo.emulator.url, token: argo.emulator.token, project: 'plinth-tenants' }).getApp('plinth-missing')).toBeNull();
  });

  it('turns a failed sync into a retryable error with Argo CD’s message, and requests a new sync', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    await engine.sync(d, values, noProgress);
    await waitFor('sync requested', () => engine.status(d).then(() => argo.emulator.app(`plinth-${d.id}`)), (a) => a?.status.operationState?.phase === 'Running', 10_000);
    argo.emulator.failSync(`plinth-${d.id}`, 'one or more objects failed to apply: admission webhook denied the request');
    const first = await engine.status(d).catch((e) => e);
    expect(first).toBeInstanceOf(TransientError);
    expect(first.message).toMatch(/^Argo CD could not sync plinth-.*: one or more objects failed to apply: admission webhook denied the request; a new sync (was requested|will be requested shortly)$/);
    // The new sync comes once the per-revision backoff has passed, not on every poll.
    const err = await waitFor('new sync', () => engine.status(d).catch((e) => e), (e) => e instanceof Error && /a new sync was requested$/.test(e.message), 5000);
    expect(err.message).toBe(`Argo CD could not sync plinth-${d.id}: one or more objects failed to apply: admission webhook denied the request; a new sync was requested`);
    expect(argo.emulator.syncRequests(`plinth-${d.id}`)).toBe(2);
    await waitFor('recovered', () => engine.status(d), (s) => s.sync === 'Synced' && s.health === 'Healthy', 10_000);
  });

  it('maps every Argo CD error to a clear message and a retry-or-stop decision', async () => {
    const engine = createArgoEngine(argo.engineOptions());
    const d = deployment();
    await engine.sync(d, values, noProgress);
    await waitFor('app exists', () => engine.status(d), (s) => s.health !== 'Missing' || s.sync === 'Synced', 10_000);
    const cases: Array<[number, string | undefined, typeof TransientError | typeof TerminalError, RegExp]> = [
      [400, 'another operation is already in progress', TransientError, /a sync is already running/],
      [400, 'existing application spec is different, use upsert flag to force update', TerminalError, /rejected as invalid/],
      [401, 'invalid session: token has invalid claims: token is expired', TerminalError, /set ARGOCD_TOKEN/],
      [403, 'permission denied', TerminalError, /may not act on project "plinth-tenants"/],
      [409, 'Operation cannot be fulfilled on applications.argoproj.io: the object has been modified', TransientError, /conflicted; retrying/],
      [503, 'connection refused', TransientError, /is unavailable; retrying/],
      [500, 'rpc error: code = Unknown', TransientError, /server error; retrying/],
    ];
    for (const [status, message, type, hint] of cases) {
      argo.emulator.failNext({ method: 'GET', path: /^\/api\/v1\/applications\/plinth-/, status, body: { error: message, code: 0, message } });
      const err = await engine.status(d).catch((e) => e);
      expect({ status, type: err.constructor.name }).toEqual({ status, type: type.name });
      expect(err.message).toMatch(hint);
      expect(err.message).toContain(`Argo CD reading application plinth-${d.id}: ${message}`);
    }
    // A sync on an Application the ApplicationSet has not made yet: 404, retried.
    expect(argoError(404, { error: 'x', code: 5, message: 'applications.argoproj.io "a" not found' }, 'syncing application a', { server: 's', project: 'p' })).toBeInstanceOf(TransientError);
    // A proxy's HTML page instead of JSON still maps by status.
    argo.emulator.failNext({ method: 'GET', status: 503, body: undefined });
    await expect(engine.status(d)).rejects.toBeInstanceOf(TransientError);
    const port = await closedPort();
    const down = createArgoEngine({ ...argo.engineOptions(), api: { server: `http://127.0.0.1:${port}`, token: 't', project: 'plinth-tenants' } });
    const unreachable = await down.status(d).catch((e) => e);
    expect(unreachable).toBeInstanceOf(TransientError);
    // The first call proves the project is right before it reads the application.
    expect(unreachable.message).toBe(`Argo CD reading project plinth-tenants: http://127.0.0.1:${port} is unreachable (ECONNREFUSED); check ARGOCD_SERVER and that Argo CD is running`);
  });

  it('lets several writers share the repository: a rejected push is retried on top of the other commit', async () => {
    const writers = [0, 1, 2].map((i) => createGitOps({ repoUrl: argo.repo, branch: 'main', workDir: path.join(argo.dir, `writer-${i}`) }));
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const config = (id: string) => JSON.stringify(appConfig(deployment({ id }), { chartVersion: '19.6.4', sharedCluster: 'in-cluster' }));
    await Promise.all(ids.map((id, i) => writers[i % 3]!.write(id, { 'config.json': config(id) }, `write ${id}`)));
    const folders = await tenantFolders(argo.repo);
    for (const id of ids) expect(folders).toContain(`tenants/${id}`);
  });

  it('never writes an older generation over a newer folder, and abandons the push when the signal is aborted', async () => {
    // Two workers: the current lease holder, and one that stalled with generation 1 in hand.
    const current = createArgoEngine(argo.engineOptions(path.join(argo.dir, 'current')));
    const stalled = createArgoEngine(argo.engineOptions(path.join(argo.dir, 'stalled')));
    const d1 = deployment();
    const d2 = { ...d1, generation: 2, spec: { ...d1.spec, memoryMb: 2048 } };
    await current.sync(d2, values, noProgress);
    const head = () => execFileSync('git', ['--git-dir', argo.repo, 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
    const before = head();
    const late = await stalled.sync(d1, values, noProgress).catch((e) => e);
    expect(late).toBeInstanceOf(TransientError);
    expect(late.message).toBe(`The GitOps repository already holds generation 2 of tenants/${d1.id}; generation 1 is not written over it`);
    expect(head()).toBe(before);
    expect(JSON.parse(show(`tenants/${d1.id}/config.json`)).generation).toBe('2');

    const aborted = new AbortController();
    aborted.abort(new Error('lease lost'));
    const d3 = { ...d1, generation: 3, spec: { ...d1.spec, memoryMb: 4096 } };
    await expect(current.sync(d3, values, noProgress, aborted.signal)).rejects.toThrow('lease lost');
    expect(head()).toBe(before);
    await current.sync(d3, values, noProgress); // the next holder writes it
    expect(JSON.parse(show(`tenants/${d1.id}/config.json`)).generation).toBe('3');
  });
});

/** A local port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
