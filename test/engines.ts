/**
 * Helpers for tests of the real engines against the emulators: a Terraform state database on the Postgres
 * server with a control directory for the terraform emulator, a GitOps bare repository with the Argo CD
 * emulator watching it, and audits proving nothing is orphaned or created twice.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { createArgoEngine } from '~/server/reconciler/engines/argocd';
import { createTerraformEngine, type TerraformOptions } from '~/server/reconciler/engines/terraform';
import type { Engines } from '~/server/reconciler/engines/types';
import type { Db } from '~/db/client';
import { startArgoEmulator, type ArgoEmulatorOptions } from './emulators/argocd';

export const root = path.resolve(import.meta.dirname, '..');
export const TERRAFORM_EMULATOR = path.join(root, 'test', 'emulators', 'terraform');
const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const PLATFORM_VARS = { TF_VAR_dns_zone_id: 'Z0PLINTHTEST', TF_VAR_dns_domain: 'redis.test', TF_VAR_ingress_hostname: 'ingress.redis.test', TF_VAR_argocd_role_arn: 'arn:aws:iam::123456789012:role/argocd' };

/** A fresh database for Terraform state, a control directory and a work directory. */
export async function terraformSetup(overrides: Partial<TerraformOptions> = {}) {
  const name = `plinth_tfstate_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  // As a real PG_CONN_STR must say for a server without SSL (terraform's lib/pq defaults to sslmode=require).
  url.searchParams.set('sslmode', 'disable');
  const pgConnStr = url.toString();
  const sql = postgres(pgConnStr, { max: 2, onnotice: () => {} });
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-tf-'));
  const controlDir = mkdtempSync(path.join(dir, 'control-'));
  const options: TerraformOptions = {
    bin: TERRAFORM_EMULATOR,
    workDir: path.join(dir, 'work'),
    modulesDir: path.join(root, 'deploy', 'terraform', 'modules'),
    pgConnStr,
    env: { TF_EMULATOR_CONTROL: controlDir, ...PLATFORM_VARS },
    lockTimeoutS: 0,
    graceMs: 2000,
    ...overrides,
  };
  return {
    options,
    pgConnStr,
    sql,
    workDir: options.workDir,
    /** Steers the emulator for one workspace (`plinth-<id>`) or all ('all'). */
    control(scope: string, value: Record<string, unknown>) {
      writeFileSync(path.join(controlDir, `${scope}.json`), JSON.stringify(value));
    },
    controlOf(scope: string) {
      return JSON.parse(readFileSync(path.join(controlDir, `${scope}.json`), 'utf8')) as Record<string, unknown>;
    },
    /** Cloud resources still alive for workspaces of the given deployments, and resources created twice. */
    async audit(deletedIds: string[] = []) {
      const live = await sql<{ workspace: string; n: number }[]>`select workspace, count(*)::int as n from terraform_emulator.cloud where destroyed_at is null group by workspace`;
      // Created twice: two live objects for one address (a replaced resource has its old one destroyed).
      const twice = await sql<{ n: number }[]>`select count(*)::int as n from (select workspace, address from terraform_emulator.cloud where destroyed_at is null group by 1, 2 having count(*) > 1) x`;
      const states = await sql<{ name: string }[]>`select name from terraform_remote_state.states`;
      const deleted = new Set(deletedIds.map((id) => `plinth-${id}`));
      return {
        orphaned: live.filter((r) => deleted.has(r.workspace)).reduce((a, r) => a + r.n, 0),
        createdTwice: twice[0]?.n ?? 0,
        workspacesLeft: states.filter((s) => deleted.has(s.name)).length,
      };
    },
    async drop() {
      await sql.end({ timeout: 1 });
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A GitOps bare repository (created by the engine on first use) and the Argo CD emulator watching it. */
export async function argoSetup(o: Partial<ArgoEmulatorOptions> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-argo-'));
  const repo = path.join(dir, 'gitops.git');
  const emulator = await startArgoEmulator({ repo, ...o });
  const baseValues = readFileSync(path.join(root, 'deploy', 'helm', 'redis', 'values.yaml'), 'utf8');
  const engineOptions = (workDir = path.join(dir, 'work')) => ({
    api: { server: emulator.url, token: emulator.token, project: 'plinth-tenants' },
    sharedCluster: 'in-cluster',
    syncRetryBaseMs: 300,
    gitops: { repoUrl: repo, branch: 'main', workDir, shared: { '_base/redis/values.yaml': baseValues } },
  });
  return { dir, repo, emulator, engineOptions, close: emulator.close };
}

export function realEngines(db: Db, tf: Awaited<ReturnType<typeof terraformSetup>>, argo: Awaited<ReturnType<typeof argoSetup>>): Engines {
  return { infra: createTerraformEngine(tf.options), delivery: createArgoEngine(argo.engineOptions()) };
}

/** Folders under tenants/ on the branch: what the ApplicationSet would still turn into Applications. */
export async function tenantFolders(repo: string): Promise<string[]> {
  const { execFileSync } = await import('node:child_process');
  try {
    return execFileSync('git', ['--git-dir', repo, 'ls-tree', '--name-only', 'main', 'tenants/'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}
