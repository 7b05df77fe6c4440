/**
 * The `plinth` command end to end: the real CLI process against the REST API over real HTTP, with a reconciler
 * worker converging what it asks for. login (key saved 0600), create, wait (with progress), resize, delete, --json
 * and the exit codes scripts rely on.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Worker } from '~/server/reconciler/worker';
import { handleRest } from '~/server/rest/handler';
import { makeOrg } from '~/test/fixtures';
import { openTestDatabase, testConfig, type TestDb } from '~/test/harness';
import { serveFetch, type TestServer } from '~/test/http';
import { sandbox, startWorker } from '~/test/reconciler';

const bin = path.resolve(import.meta.dirname, 'plinth.mjs');

describe('plinth CLI over HTTP', () => {
  let t: TestDb;
  let server: TestServer;
  let worker: Worker;
  let home: string;
  let slug: string;
  let key: string;
  let viewerKey: string;

  const run = (args: string[], input?: string) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [bin, ...args], { env: { NODE_ENV: 'test', PATH: process.env.PATH, XDG_CONFIG_HOME: home, HOME: home } }, (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      if (input !== undefined) child.stdin!.end(input);
      else child.stdin!.end();
    });

  beforeAll(async () => {
    t = await openTestDatabase('pglite');
    server = await serveFetch((req) => handleRest(req, { db: t.db, config: testConfig, ip: '203.0.113.50' }));
    worker = await startWorker(t, sandbox(t));
    const { api, orgId, org } = await makeOrg(t.db, 'Cli Corp');
    slug = org.slug;
    key = (await api.apiKeys.create({ orgId, name: 'cli', role: 'member' })).key;
    viewerKey = (await api.apiKeys.create({ orgId, name: 'cli-viewer', role: 'viewer' })).key;
    home = mkdtempSync(path.join(tmpdir(), 'plinth-cli-'));
  });
  afterAll(async () => {
    await worker?.stop();
    await server?.close();
    await t?.drop();
  });

  it('refuses a bad key at login and saves a good one readable only by the user', async () => {
    const bad = await run(['login', '--api-url', server.origin, '--org', slug, '--key', 'plk_000000000000_' + 'x'.repeat(43)]);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('This API key is not valid');
    const ok = await run(['login', '--api-url', server.origin, '--org', slug], `${key}\n`);
    expect(ok.code).toBe(0);
    const file = path.join(home, 'plinth', 'config.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
  });

  it('creates, waits, resizes, waits, and deletes a deployment; --json for scripts', async () => {
    const created = await run(['--json', 'deployments', 'create', 'cli-cache', '--plan', 'starter', '--region', 'eu-west-1', '--version', '7.2.5']);
    expect(created.code).toBe(0);
    const { id } = JSON.parse(created.stdout) as { id: string };

    const ready = await run(['wait', 'cli-cache', '--timeout', '60', '--interval', '0.1']);
    expect(ready.code).toBe(0);
    expect(ready.stdout).toContain('cli-cache is ready.');
    expect(ready.stderr).toMatch(/ready/);

    const resized = await run(['deployments', 'resize', 'cli-cache', '--memory', '512']);
    expect(resized.code).toBe(0);
    expect(resized.stdout).toContain('generation 2');
    const again = await run(['--json', 'wait', id, '--timeout', '60', '--interval', '0.1']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ id, phase: 'ready', generation: 2, observedGeneration: 2, spec: { memoryMb: 512 } });

    const stopped = await run(['deployments', 'stop', 'cli-cache']);
    expect([stopped.code, stopped.stdout]).toEqual([0, expect.stringContaining('generation 3')]);
    const asleep = await run(['--json', 'wait', id, '--timeout', '60', '--interval', '0.1', '--for', 'stopped']);
    expect([asleep.code, JSON.parse(asleep.stdout).phase]).toEqual([0, 'stopped']);
    const started = await run(['deployments', 'start', 'cli-cache']);
    expect([started.code, started.stdout]).toEqual([0, expect.stringContaining('generation 4')]);
    expect((await run(['wait', id, '--timeout', '60', '--interval', '0.1'])).code).toBe(0);

    const list = await run(['--json', 'deployments', 'list']);
    expect((JSON.parse(list.stdout) as Array<{ name: string }>).map((d) => d.name)).toEqual(['cli-cache']);

    const unconfirmed = await run(['deployments', 'delete', 'cli-cache']);
    expect(unconfirmed.code).toBe(2);
    const deleted = await run(['deployments', 'delete', 'cli-cache', '--yes']);
    expect(deleted.code).toBe(0);
    const gone = await run(['wait', id, '--for', 'deleted', '--timeout', '60', '--interval', '0.1']);
    expect([gone.code, gone.stdout.trim()]).toEqual([0, 'Deleted.']);
  });

  it('prints the server’s message and exits with a code scripts can rely on', async () => {
    const badName = await run(['--json', 'deployments', 'create', 'X', '--plan', 'starter', '--region', 'eu-west-1', '--version', '7.2.5']);
    expect(badName.code).toBe(6);
    expect(JSON.parse(badName.stdout).error).toMatchObject({ code: 'BAD_REQUEST', field: 'name', exitCode: 6 });
    expect(badName.stderr).toContain('Use at least 3 characters.');
    const missing = await run(['deployments', 'get', 'no-such-thing']);
    expect(missing.code).toBe(4);
    const otherOrg = await run(['--org', 'somebody-else', 'deployments', 'list']);
    expect([otherOrg.code, otherOrg.stderr]).toEqual([3, expect.stringContaining('belongs to another organization')]);
    const viewer = await new Promise<{ code: number; stderr: string }>((resolve) =>
      execFile(process.execPath, [bin, '--api-url', server.origin, '--org', slug, 'deployments', 'create', 'nope-nope', '--plan', 'starter', '--region', 'eu-west-1', '--version', '7.2.5'], { env: { NODE_ENV: 'test', PATH: process.env.PATH, XDG_CONFIG_HOME: home, PLINTH_API_KEY: viewerKey } }, (err, _o, stderr) =>
        resolve({ code: (err as { code?: number } | null)?.code ?? 0, stderr }),
      ),
    );
    expect([viewer.code, viewer.stderr]).toEqual([3, expect.stringContaining('this API key acts as viewer')]);
    const usage = await run(['--json', 'usage']);
    expect(usage.code).toBe(0);
    expect(JSON.parse(usage.stdout)).toHaveProperty('byDeployment');
    const unknown = await run(['frobnicate']);
    expect(unknown.code).toBe(2);
  });
});
