/**
 * The real Terraform binary for the conformance suite: found on PATH (≥ 1.5, or the suite fails saying so), a
 * CLI configuration of its own (no ~/.terraformrc; a filesystem mirror of the hashicorp providers when this
 * machine has one), fixture modules of built-in terraform_data resources, and the "cloud" log they append to.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TerraformOptions } from '~/server/reconciler/engines/terraform';
import { root, terraformSetup } from './engines';

/**
 * The fixture modules: test/fixtures/terraform's terraform_data bodies with the product modules' own
 * variables.tf, so the fixtures take exactly the variables the engine passes to the real modules (no copy to drift).
 */
export const FIXTURE_MODULES = (() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-fixture-modules-'));
  const fixtures = path.join(root, 'test', 'fixtures', 'terraform');
  for (const name of readdirSync(fixtures)) {
    cpSync(path.join(fixtures, name), path.join(dir, name), { recursive: true });
    cpSync(path.join(root, 'deploy', 'terraform', 'modules', name, 'variables.tf'), path.join(dir, name, 'variables.tf'));
  }
  return dir;
})();
export const MIN_TERRAFORM = [1, 5] as const;

/** The terraform on PATH and its version; throws (fails the suite, never skips it) when missing or too old. */
export function requireTerraform(): string {
  let text = '';
  try {
    text = execFileSync('terraform', ['version'], { encoding: 'utf8', env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' } });
  } catch (e) {
    throw new Error(`The Terraform conformance suite needs Terraform ≥ ${MIN_TERRAFORM.join('.')} on PATH, and there is none (${(e as Error).message}). Install it (see README, "Tests").`);
  }
  const m = /^Terraform v(\d+)\.(\d+)\.(\d+)/m.exec(text);
  if (!m || Number(m[1]) < MIN_TERRAFORM[0] || (Number(m[1]) === MIN_TERRAFORM[0] && Number(m[2]) < MIN_TERRAFORM[1])) {
    throw new Error(`The Terraform conformance suite needs Terraform ≥ ${MIN_TERRAFORM.join('.')} on PATH; found "${text.split('\n')[0]}".`);
  }
  return `${m[1]}.${m[2]}.${m[3]}`;
}

/**
 * A filesystem mirror (unpacked layout) holding hashicorp/aws, wherever this machine keeps one: the directory
 * above `registry.terraform.io`. Looked for, never assumed; null when there is none.
 */
export function findMirror(): string | null {
  for (const start of ['/opt', '/usr/share', '/usr/local/share', '/usr/local/lib', '/var/lib', path.join(process.env.HOME ?? '/root', '.terraform.d')]) {
    if (!existsSync(start)) continue;
    try {
      const hit = execFileSync('find', [start, '-maxdepth', '7', '-type', 'd', '-path', '*registry.terraform.io/hashicorp/aws'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
        .split('\n')
        .find(Boolean);
      if (hit) return path.resolve(hit, '..', '..', '..');
    } catch {
      // Unreadable folders: keep looking elsewhere.
    }
  }
  return null;
}

/** Providers (namespace/name) the mirror holds. */
export function mirrorProviders(mirror: string | null): Set<string> {
  if (!mirror) return new Set();
  const base = path.join(mirror, 'registry.terraform.io');
  const out = new Set<string>();
  for (const ns of execFileSync('ls', [base], { encoding: 'utf8' }).split('\n').filter(Boolean)) {
    for (const name of execFileSync('ls', [path.join(base, ns)], { encoding: 'utf8' }).split('\n').filter(Boolean)) out.add(`${ns}/${name}`);
  }
  return out;
}

/** A CLI configuration for tests only: providers from the mirror, nothing from the network. */
export function cliConfig(dir: string, mirror: string | null): string {
  const file = path.join(dir, 'terraformrc');
  writeFileSync(
    file,
    mirror ? `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/hashicorp/*"]\n  }\n}\n` : '',
  );
  return file;
}

/** The engine setup of test/engines.ts, on the real binary and the fixture modules, with a cloud log. */
export async function realTerraformSetup(overrides: Partial<TerraformOptions> = {}) {
  requireTerraform();
  const dir = mkdtempSync(path.join(tmpdir(), 'plinth-tfreal-'));
  const cloudLog = path.join(dir, 'cloud.log');
  writeFileSync(cloudLog, '');
  const env = { TF_CLI_CONFIG_FILE: cliConfig(dir, null), TFX_CLOUD: cloudLog, TF_VAR_dns_zone_id: 'Z0PLINTHTEST', TF_VAR_dns_domain: 'redis.test', TF_VAR_ingress_hostname: 'ingress.redis.test' };
  const tf = await terraformSetup({ bin: 'terraform', modulesDir: FIXTURE_MODULES, env, lockTimeoutS: 60, graceMs: 60_000, ...overrides });
  return {
    ...tf,
    dir,
    env,
    /** Per resource of one deployment: how many times it was created and destroyed in the "cloud". */
    cloud(id: string) {
      const counts: Record<string, { created: number; destroyed: number }> = {};
      for (const line of readFileSync(cloudLog, 'utf8').split('\n')) {
        const [what, name, dep] = line.trim().split(' ');
        if (dep !== id || !name) continue;
        counts[name] ??= { created: 0, destroyed: 0 };
        counts[name][what === 'create' ? 'created' : 'destroyed'] += 1;
      }
      return counts;
    },
    /** Resources recorded in the deployment's state, with their status (tainted or not). */
    async state(id: string) {
      const [row] = await tf.sql<{ data: string }[]>`select data from terraform_remote_state.states where name = ${`plinth-${id}`}`;
      if (!row) return null;
      const s = JSON.parse(row.data) as { resources: Array<{ type: string; name: string; instances: Array<{ status?: string }> }> };
      return Object.fromEntries(s.resources.filter((r) => r.type === 'terraform_data').map((r) => [r.name, r.instances.map((i) => i.status ?? 'ok')]));
    },
  };
}
