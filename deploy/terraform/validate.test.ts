/**
 * The modules through the real terraform binary: `terraform fmt -check` always; `terraform validate` on every
 * module whose providers this machine has offline (a filesystem mirror of the hashicorp providers, looked for,
 * never assumed); and a generated root (a module needing aws with the aws.dns alias) that initialises from the
 * shipped lock file through the plugin cache — the second directory links the cached provider instead of
 * installing it again — and validates with zero warnings.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { childEnv } from '~/server/reconciler/engines/child-env';
import { LOCK_FILE, rootConfig } from '~/server/reconciler/engines/terraform-config';
import { moduleProviders } from '~/server/reconciler/engines/terraform-providers';
import type { EngineDeployment } from '~/server/reconciler/engines/types';
import { cliConfig, findMirror, FIXTURE_MODULES, mirrorProviders, requireTerraform } from '~/test/terraform-real';

const modulesDir = path.join(import.meta.dirname, 'modules');
const dir = mkdtempSync(path.join(tmpdir(), 'plinth-validate-'));
const mirror = findMirror();
const env = childEnv({ TF_CLI_CONFIG_FILE: cliConfig(dir, mirror), TF_PLUGIN_CACHE_DIR: path.join(dir, 'cache'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' });
const tf = (cwd: string, ...args: string[]) => spawnSync('terraform', args, { cwd, env, encoding: 'utf8' });

/** Providers a module needs, with those of its local submodules. */
async function needs(moduleDir: string): Promise<string[]> {
  const own = Object.values(await moduleProviders(moduleDir)).map((p) => p.source.replace(/^registry\.terraform\.io\//, ''));
  const subs = [...readdirSync(moduleDir).filter((f) => f.endsWith('.tf')).map((f) => readFileSync(path.join(moduleDir, f), 'utf8')).join('\n').matchAll(/source\s*=\s*"(\.\.?\/[^"]+)"/g)].map((m) => path.resolve(moduleDir, m[1]!));
  return [...new Set([...own, ...(await Promise.all(subs.map(needs))).flat()])].sort();
}

describe('Terraform modules through the real binary', { timeout: 120_000 }, () => {
  beforeAll(() => {
    requireTerraform();
    mkdirSync(path.join(dir, 'cache'), { recursive: true });
  });

  it('are formatted (terraform fmt -check), modules and fixtures alike', () => {
    for (const folder of [modulesDir, FIXTURE_MODULES]) {
      const r = tf(folder, 'fmt', '-check', '-recursive', '-diff');
      expect(r.stdout + r.stderr, folder).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('validate wherever their providers are available offline', async () => {
    const available = mirrorProviders(mirror);
    const copy = path.join(dir, 'modules');
    cpSync(modulesDir, copy, { recursive: true });
    const validated: string[] = [];
    const unavailable: Record<string, string[]> = {};
    for (const name of readdirSync(modulesDir).filter((f) => !f.startsWith('.') && !f.endsWith('.hcl')).sort()) {
      const missing = (await needs(path.join(modulesDir, name))).filter((p) => !available.has(p));
      if (missing.length > 0) {
        unavailable[name] = missing;
        continue;
      }
      const init = tf(path.join(copy, name), 'init', '-backend=false', '-input=false', '-no-color');
      expect(init.status, init.stderr).toBe(0);
      const v = JSON.parse(tf(path.join(copy, name), 'validate', '-json', '-no-color').stdout);
      expect(v, name).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
      validated.push(name);
    }
    // Which modules this machine could validate, and why the others not (printed in the test log).
    console.log(`terraform validate: ${validated.join(', ') || 'none'}; no offline provider for ${JSON.stringify(unavailable)}`);
    if (available.has('hashicorp/aws')) expect(validated).toContain('cluster');
    expect(validated.length + Object.keys(unavailable).length).toBe(4);
  });

  it('a generated root declares exactly its module’s providers, installs them through the cache from the shipped lock file, and validates without a warning', async () => {
    const d: EngineDeployment = {
      id: '0b9e8f3c-1111-4222-8333-944445555666', orgId: 'org', name: 'cache', generation: 1, tier: 'dedicated', cloudAccountRef: null, chartVersion: null,
      spec: { plan: 'pro', version: '7.2.5', region: 'eu-west-1', memoryMb: 1024, replicas: 1, persistence: true, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } },
    };
    const providers = await moduleProviders(path.join(FIXTURE_MODULES, 'redis-dedicated'));
    const roots = [path.join(dir, 'root-a'), path.join(dir, 'root-b')];
    for (const r of roots) {
      mkdirSync(r, { recursive: true });
      const config = rootConfig(d, { workDir: r, modulesDir: FIXTURE_MODULES, accountRef: null, providers });
      expect(config.terraform.required_providers).toEqual({ aws: { source: 'hashicorp/aws', version: '~> 5.40' } });
      expect(config.provider).toEqual({ aws: { region: 'eu-west-1', default_tags: { tags: { 'plinth.dev/deployment': d.id, 'plinth.dev/managed-by': 'plinth' } } } });
      expect(config.module.redis.providers).toEqual({ aws: 'aws', 'aws.dns': 'aws' });
      writeFileSync(path.join(r, 'main.tf.json'), JSON.stringify(config));
      writeFileSync(path.join(r, LOCK_FILE), readFileSync(path.join(modulesDir, LOCK_FILE)));
    }
    if (!mirrorProviders(mirror).has('hashicorp/aws')) {
      // No offline aws provider on this machine: the root's shape is all that can be checked.
      console.log('no filesystem mirror with hashicorp/aws: init and validate of a provider-using root not run');
      return;
    }
    for (const r of roots) {
      const init = tf(r, 'init', '-backend=false', '-input=false', '-no-color', '-lockfile=readonly');
      expect(init.status, init.stdout + init.stderr).toBe(0);
      expect(init.stdout + init.stderr).not.toMatch(/Warning/);
      const v = JSON.parse(tf(r, 'validate', '-json', '-no-color').stdout);
      expect(v).toMatchObject({ valid: true, error_count: 0, warning_count: 0 });
    }
    // Both working directories link the one cached copy: the cache is used, the provider was installed once
    // (from an unpacked mirror, the cache entry itself links to the mirror).
    const installed = (r: string) => path.join(r, '.terraform', 'providers', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64');
    for (const r of roots) {
      expect(lstatSync(installed(r)).isSymbolicLink(), r).toBe(true);
      expect(readlinkSync(installed(r))).toBe(path.join(dir, 'cache', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', 'linux_amd64'));
    }
    expect(execFileSync('ls', [path.join(dir, 'cache', 'registry.terraform.io', 'hashicorp', 'aws')], { encoding: 'utf8' }).trim()).toBe('5.100.0');
  });
});
