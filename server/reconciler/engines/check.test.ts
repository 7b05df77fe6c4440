/**
 * Start-up checks: each way a real engine can be unusable stops start-up with a message naming what to set;
 * a working setup passes and records what the internal console shows.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argoSetup, root, TERRAFORM_EMULATOR } from '~/test/engines';
import { checked, checkEngines, EngineCheckError, type EngineConfig } from './check';

const dir = mkdtempSync(path.join(tmpdir(), 'plinth-check-'));
const script = (name: string, body: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
};
const pg = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

// The local test server has no SSL: like terraform's lib/pq, the check insists on an explicit sslmode.
const pgState = `${pg}${pg.includes('?') ? '&' : '?'}sslmode=disable`;
const config = (over: Partial<EngineConfig> = {}): EngineConfig => ({
  engines: { infra: 'terraform', delivery: 'sandbox' },
  terraform: { bin: TERRAFORM_EMULATOR, pgConnStr: pgState, workDir: path.join(dir, 'tf'), timeoutMs: 60_000, graceMs: 60_000, lockTimeoutS: 0 },
  argocd: null,
  gitops: { repoUrl: path.join(dir, 'gitops.git'), branch: 'main', workDir: path.join(dir, 'gitops'), timeoutMs: 120_000 },
  deployDir: path.join(root, 'deploy'),
  ...over,
});
const problems = (c: EngineConfig) => checkEngines(c).then(() => [], (e: unknown) => (e instanceof EngineCheckError ? e.problems : [String(e)]));

describe('checkEngines', () => {
  let argo: Awaited<ReturnType<typeof argoSetup>>;
  beforeAll(async () => {
    argo = await argoSetup();
  });
  afterAll(() => argo.close());

  it('needs nothing for the sandbox', async () => {
    await expect(checkEngines(config({ engines: { infra: 'sandbox', delivery: 'sandbox' } }))).resolves.toBeUndefined();
  });

  it('says what to set when terraform is missing, is not terraform, is too old, or has no reachable state database', async () => {
    const port = await closedPort();
    expect(await problems(config({ terraform: { ...config().terraform, bin: '/opt/none/terraform', pgConnStr: null } }))).toEqual([
      'TERRAFORM_BIN=/opt/none/terraform was not found or is not executable. Install Terraform ≥ 1.5 or OpenTofu ≥ 1.6 and put it on PATH, or set TERRAFORM_BIN to its full path.',
      'PLINTH_INFRA_ENGINE=terraform keeps state in Postgres (pg backend): set PG_CONN_STR to a state database of its own, e.g. postgres://plinth_tfstate:secret@db:5432/plinth_tfstate?sslmode=require (docs/real-engines.md §3 has the SQL).',
    ]);
    const liar = script('liar', 'echo "hello from something else"');
    expect((await problems(config({ terraform: { ...config().terraform, bin: liar } })))[0]).toBe(
      `TERRAFORM_BIN=${liar} did not print a Terraform or OpenTofu version (got "hello from something else"). Set TERRAFORM_BIN to terraform or tofu.`,
    );
    const old = script('old', 'echo "Terraform v1.3.9"; echo "on linux_amd64"');
    expect((await problems(config({ terraform: { ...config().terraform, bin: old } })))[0]).toMatch(/^.*old is terraform 1\.3\.9; Plinth needs Terraform ≥ 1\.5 or OpenTofu ≥ 1\.6/);
    const unreachable = await problems(config({ terraform: { ...config().terraform, pgConnStr: `postgres://postgres@127.0.0.1:${port}/x` } }));
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toMatch(/^PG_CONN_STR \(Terraform state\) is not reachable: .*ECONNREFUSED.*Set PG_CONN_STR/);
    // The default state database (<db>_tfstate) not created yet: the problem says how.
    const missingDb = await problems(config({ terraform: { ...config().terraform, pgConnStr: `${pg.replace(/\/[^/?]*(\?|$)/, '/plinth_no_such_tfstate$1')}${pg.includes('?') ? '&' : '?'}sslmode=disable` } }));
    expect(missingDb[0]).toMatch(/database "plinth_no_such_tfstate" does not exist\. Create the state database and its role .*create database plinth_tfstate owner plinth_tfstate;\), then Set PG_CONN_STR/);
    expect(await problems(config({ terraform: { ...config().terraform, pgConnStr: pg } }))).toEqual([
      'PG_CONN_STR has no sslmode, so terraform will require SSL, which this Postgres server does not offer: add ?sslmode=disable to PG_CONN_STR (or enable SSL on the server).',
    ]);
    const noModules = await problems(config({ deployDir: dir }));
    expect(noModules).toEqual([`${dir}/terraform/modules lacks the modules redis-shared, redis-dedicated, redis-byoc: set PLINTH_DEPLOY_DIR to the folder that holds terraform/modules/.`]);
  });

  it('accepts OpenTofu and records what it found', async () => {
    const tofu = script('tofu', 'echo "OpenTofu v1.10.2"; echo "on linux_amd64"');
    await checkEngines(config({ terraform: { ...config().terraform, bin: tofu } }));
    expect(checked).toMatchObject({ 'terraform.binary': tofu, 'terraform.version': 'OpenTofu v1.10.2', 'terraform.state': expect.stringMatching(/^pg backend on 127\.0\.0\.1:5432\//) });
    expect(JSON.stringify(checked)).not.toContain('postgres://');
  });

  it('says what to set when Argo CD is not configured, unreachable, refuses the token, or git cannot reach the repository', async () => {
    const argocd = { server: argo.emulator.url, token: argo.emulator.token, project: 'plinth-tenants', applicationSet: 'plinth-redis', sharedCluster: 'in-cluster' };
    const base = config({ engines: { infra: 'sandbox', delivery: 'argocd' }, argocd });
    expect(await problems({ ...base, argocd: null })).toEqual([
      'PLINTH_DELIVERY_ENGINE=argocd needs ARGOCD_SERVER (the Argo CD API URL, e.g. https://argocd.example.com) and ARGOCD_TOKEN (from `argocd account generate-token --account plinth`).',
    ]);
    const port = await closedPort();
    expect(await problems({ ...base, argocd: { ...argocd, server: `http://127.0.0.1:${port}` } })).toEqual([
      `ARGOCD_SERVER=http://127.0.0.1:${port} is unreachable. Check the URL, that Argo CD's API server is running, and any proxy in between.`,
    ]);
    expect(await problems({ ...base, argocd: { ...argocd, token: 'stale' } })).toEqual([
      `ARGOCD_TOKEN was refused by ${argo.emulator.url}. Create a new token (argocd account generate-token --account plinth) and set ARGOCD_TOKEN.`,
    ]);
    const badRepo = await problems({ ...base, gitops: { ...base.gitops, repoUrl: `http://user:s3cret@127.0.0.1:${port}/gitops.git` } });
    expect(badRepo).toHaveLength(1);
    expect(badRepo[0]).toMatch(new RegExp(`^GITOPS_REPO_URL=http://\\*\\*\\*@127\\.0\\.0\\.1:${port}/gitops\\.git is not reachable with git \\(.*\\)\\. Check the URL and git's credentials`));
    expect(badRepo[0]).not.toContain('s3cret');
  });

  it('passes with a reachable Argo CD and creates the default local GitOps repository', async () => {
    const argocd = { server: argo.emulator.url, token: argo.emulator.token, project: 'plinth-tenants', applicationSet: 'plinth-redis', sharedCluster: 'in-cluster' };
    const c = config({ engines: { infra: 'terraform', delivery: 'argocd' }, argocd });
    await checkEngines(c);
    expect(existsSync(path.join(c.gitops.repoUrl, 'HEAD'))).toBe(true);
    expect(checked).toMatchObject({ 'argocd.server': argo.emulator.url, 'argocd.project': 'plinth-tenants', 'argocd.version': 'v3.1.0+emulator', 'argocd.account': 'plinth', 'gitops.repo': c.gitops.repoUrl, 'gitops.branch': 'main' });
    expect(JSON.stringify(checked)).not.toContain(argo.emulator.token);
  });
});
