/**
 * Every child process Plinth starts gets the allowlisted environment: terraform (engine runs), git (GitOps) and
 * the start-up checks' version probe. Proven with real processes: stand-in binaries that write the environment
 * they received to a file.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '~/test/engines';
import { checkEngines } from './check';
import { childEnv, isAllowed } from './child-env';
import { createGitOps } from './gitops';
import { createTerraformEngine } from './terraform';
import type { EngineDeployment } from './types';

const SECRETS = {
  DATABASE_URL: 'postgres://plinth:db-secret@db/plinth',
  PLINTH_SECRET_KEY: 'secret-key-value',
  STRIPE_SECRET_KEY: 'sk_live_secret',
  AUTH_SECRET: 'auth-secret-value',
  AUTH_GITHUB_SECRET: 'gh-secret',
  TF_DATA_DIR: '/somewhere/else',
  TF_LOG: 'TRACE',
  TF_LOG_PATH: '/tmp/tf.log',
  TF_CLI_ARGS_plan: '-target=x',
};
const KEPT = { AWS_PROFILE: 'plinth', HTTPS_PROXY: 'http://proxy:3128', TF_VAR_dns_domain: 'redis.example.com', LC_ALL: 'C.UTF-8', KUBE_CONFIG_PATH: '/k/config' };

describe('child process environment', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-env-'));
  const dumps = path.join(dir, 'dumps');
  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, SECRETS, KEPT);
    // Stand-ins for terraform and git: record the environment, then fail like a broken tool would.
    const bin = path.join(dir, 'bin');
    mkdirSync(bin, { recursive: true });
    for (const name of ['terraform', 'git']) {
      writeFileSync(path.join(bin, name), `#!/bin/sh\nmkdir -p ${dumps}\nenv > ${dumps}/${name}-$$.env\necho "boom" >&2\nexit 1\n`, { mode: 0o755 });
    }
    process.env.PATH = `${bin}:${saved.PATH}`;
  });
  afterAll(() => {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  });
  const received = (name: string) =>
    readdirSync(dumps)
      .filter((f) => f.startsWith(`${name}-`))
      .map((f) => Object.fromEntries(readFileSync(path.join(dumps, f), 'utf8').trim().split('\n').map((l) => [l.split('=')[0], l.split('=').slice(1).join('=')])));

  it('filters by allowlist, lets what Plinth sets through, and never a secret', () => {
    const env = childEnv({ PG_CONN_STR: 'postgres://tf@db/state', DATABASE_URL: 'sneaky' }, { ...SECRETS, ...KEPT, PATH: '/bin', RANDOM_THING: 'x' });
    expect(env).toEqual({ ...KEPT, PATH: '/bin', PG_CONN_STR: 'postgres://tf@db/state' });
    for (const k of Object.keys(SECRETS)) expect(isAllowed(k), k).toBe(false);
  });

  it('reaches terraform, git and the start-up check with no secret and no TF_DATA_DIR/TF_LOG', async () => {
    const d: EngineDeployment = {
      id: '0b9e8f3c-1111-4222-8333-944445555666', orgId: 'o', name: 'n', generation: 1, tier: 'shared', cloudAccountRef: null, chartVersion: null,
      spec: { plan: 'free', version: '7.2.5', region: 'eu-west-1', memoryMb: 256, replicas: 0, persistence: false, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } },
    };
    const engine = createTerraformEngine({ bin: 'terraform', workDir: path.join(dir, 'work'), modulesDir: path.join(root, 'deploy', 'terraform', 'modules'), pgConnStr: 'postgres://tf:pw@db/state' });
    await expect(engine.apply(d, () => {})).rejects.toThrow(/boom/);
    await expect(createGitOps({ repoUrl: 'git@example.invalid:x.git', branch: 'main', workDir: path.join(dir, 'git') }).check()).resolves.toBeTruthy();
    await checkEngines({ engines: { infra: 'terraform', delivery: 'sandbox' }, terraform: { bin: 'terraform', pgConnStr: null, workDir: dir, timeoutMs: 1000, graceMs: 1000, lockTimeoutS: 0 }, argocd: null, gitops: { repoUrl: '', branch: 'main', workDir: dir, timeoutMs: 120_000 }, deployDir: path.join(root, 'deploy') }).catch(() => {});
    const runs = { terraform: received('terraform'), git: received('git') };
    expect(runs.terraform.length).toBeGreaterThanOrEqual(2); // the engine's init and the check's `terraform version`
    expect(runs.git.length).toBeGreaterThanOrEqual(1);
    for (const env of [...runs.terraform, ...runs.git]) {
      for (const k of Object.keys(SECRETS)) expect(env, k).not.toHaveProperty(k);
      expect(JSON.stringify(env)).not.toMatch(/db-secret|secret-key-value|sk_live|auth-secret|gh-secret/);
      expect(env).toMatchObject(KEPT);
    }
    expect(runs.terraform.some((e) => e.PG_CONN_STR === 'postgres://tf:pw@db/state' && e.TF_IN_AUTOMATION === '1')).toBe(true);
    expect(runs.git[0]).toMatchObject({ GIT_TERMINAL_PROMPT: '0' });
  });
});
