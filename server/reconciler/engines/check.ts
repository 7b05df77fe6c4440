/**
 * Start-up check of the selected engines: a misconfigured real engine should stop the process with a message
 * that names exactly what to set, not fail one deployment at a time later. The sandbox needs nothing.
 * What it learns (versions, servers) is kept for the internal console's engine summary.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Env } from '../../env';
import { createArgoApi } from './argocd-api';
import { childEnv } from './child-env';
import { createGitOps, redactUrl } from './gitops';
import { MODULES } from './terraform-config';
import { parseVersionText } from './terraform-json';

export type EngineConfig = Pick<Env, 'engines' | 'terraform' | 'argocd' | 'gitops' | 'deployDir'>;

export class EngineCheckError extends Error {
  override name = 'EngineCheckError';
  constructor(readonly problems: string[]) {
    super(`Plinth cannot start: the selected engines are not usable.\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee docs/real-engines.md.`);
  }
}

/** Facts found by the last successful check, shown in the internal console (never secrets). */
export const checked: Record<string, string> = {};

const MIN = { terraform: [1, 5], tofu: [1, 6] } as const;
const older = (v: string, [major, minor]: readonly [number, number]) => {
  const [a = 0, b = 0] = v.split('.').map(Number);
  return a < major || (a === major && b < minor);
};

function version(bin: string): Promise<{ text: string; missing: boolean }> {
  return new Promise((resolve) =>
    execFile(bin, ['version'], { timeout: 20_000, maxBuffer: 1024 * 1024, env: childEnv({ CHECKPOINT_DISABLE: '1' }) }, (error, stdout, stderr) => {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      resolve({ text: `${stdout}${stderr}`, missing: code === 'ENOENT' || code === 'EACCES' });
    }),
  );
}

async function checkTerraform(c: EngineConfig, problems: string[]) {
  const { bin, pgConnStr } = c.terraform;
  const v = await version(bin);
  const parsed = parseVersionText(v.text);
  if (v.missing) {
    problems.push(`TERRAFORM_BIN=${bin} was not found or is not executable. Install Terraform ≥ 1.5 or OpenTofu ≥ 1.6 and put it on PATH, or set TERRAFORM_BIN to its full path.`);
  } else if (!parsed) {
    problems.push(`TERRAFORM_BIN=${bin} did not print a Terraform or OpenTofu version (got "${v.text.trim().split('\n')[0] ?? ''}"). Set TERRAFORM_BIN to terraform or tofu.`);
  } else if (older(parsed.version, MIN[parsed.tool])) {
    problems.push(`${bin} is ${parsed.tool} ${parsed.version}; Plinth needs Terraform ≥ 1.5 or OpenTofu ≥ 1.6 (terraform_data, workspace select -or-create). Upgrade it or point TERRAFORM_BIN at a newer one.`);
  } else {
    checked['terraform.binary'] = bin;
    checked['terraform.version'] = `${parsed.tool === 'tofu' ? 'OpenTofu' : 'Terraform'} v${parsed.version}`;
  }
  const modules = path.join(c.deployDir, 'terraform', 'modules');
  const missing = Object.values(MODULES).filter((m) => !existsSync(path.join(modules, m.dir)));
  if (missing.length > 0) problems.push(`${modules} lacks the modules ${missing.map((m) => m.dir).join(', ')}: set PLINTH_DEPLOY_DIR to the folder that holds terraform/modules/.`);
  else checked['terraform.modules'] = modules;
  if (!pgConnStr) {
    problems.push('PLINTH_INFRA_ENGINE=terraform keeps state in Postgres (pg backend): set PG_CONN_STR to a state database of its own, e.g. postgres://plinth_tfstate:secret@db:5432/plinth_tfstate?sslmode=require (docs/real-engines.md §3 has the SQL).');
    return;
  }
  const { default: postgres } = await import('postgres');
  const sql = postgres(pgConnStr, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`select 1`;
    const u = new URL(pgConnStr);
    checked['terraform.state'] = `pg backend on ${u.host}${u.pathname} (schema terraform_remote_state)`;
  } catch (e) {
    const message = (e as Error).message;
    const create = /does not exist/.test(message) ? ' Create the state database and its role (docs/real-engines.md §3: create role plinth_tfstate …; create database plinth_tfstate owner plinth_tfstate;), then' : '';
    problems.push(`PG_CONN_STR (Terraform state) is not reachable: ${message}.${create} Set PG_CONN_STR to a reachable state database.`);
    return;
  } finally {
    await sql.end({ timeout: 1 });
  }
  // Terraform's pg backend (lib/pq) defaults to sslmode=require, unlike Plinth's driver: catch it here, not at init.
  if (!/[?&]sslmode=/.test(pgConnStr)) {
    const tls = postgres(pgConnStr, { max: 1, connect_timeout: 5, ssl: 'require', onnotice: () => {} });
    try {
      await tls`select 1`;
    } catch {
      problems.push('PG_CONN_STR has no sslmode, so terraform will require SSL, which this Postgres server does not offer: add ?sslmode=disable to PG_CONN_STR (or enable SSL on the server).');
    } finally {
      await tls.end({ timeout: 1 });
    }
  }
}

async function checkArgo(c: EngineConfig, problems: string[]) {
  if (!c.argocd) {
    problems.push('PLINTH_DELIVERY_ENGINE=argocd needs ARGOCD_SERVER (the Argo CD API URL, e.g. https://argocd.example.com) and ARGOCD_TOKEN (from `argocd account generate-token --account plinth`).');
  } else {
    const api = createArgoApi({ ...c.argocd, timeoutMs: 10_000 });
    try {
      const v = await api.version();
      const user = await api.userInfo();
      if (user && user.loggedIn === false) throw new Error('token refused');
      await api.listApps();
      Object.assign(checked, { 'argocd.server': c.argocd.server, 'argocd.version': v?.Version ?? 'unknown', 'argocd.project': c.argocd.project, 'argocd.account': user?.username ?? 'unknown' });
    } catch (e) {
      const message = (e as Error).message;
      if (/unreachable/.test(message)) problems.push(`ARGOCD_SERVER=${c.argocd.server} is unreachable. Check the URL, that Argo CD's API server is running, and any proxy in between.`);
      else if (/token/i.test(message)) problems.push(`ARGOCD_TOKEN was refused by ${c.argocd.server}. Create a new token (argocd account generate-token --account plinth) and set ARGOCD_TOKEN.`);
      else problems.push(`Argo CD at ${c.argocd.server} answered with an error: ${message}`);
    }
  }
  const problem = await createGitOps({ ...c.gitops }).check();
  if (problem) problems.push(`GITOPS_REPO_URL=${redactUrl(c.gitops.repoUrl)} is not reachable with git (${problem}). Check the URL and git's credentials (SSH key or credential helper) for the user running Plinth.`);
  else Object.assign(checked, { 'gitops.repo': redactUrl(c.gitops.repoUrl), 'gitops.branch': c.gitops.branch });
}

/** Throws EngineCheckError listing every problem found; resolves when the selected engines are usable. */
export async function checkEngines(c: EngineConfig): Promise<void> {
  const problems: string[] = [];
  if (c.engines.infra === 'terraform') await checkTerraform(c, problems);
  if (c.engines.delivery === 'argocd') await checkArgo(c, problems);
  if (problems.length > 0) throw new EngineCheckError(problems);
}
