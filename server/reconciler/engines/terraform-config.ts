/**
 * The root configuration Plinth generates for one deployment: `main.tf.json` calling the plan tier's module from
 * `deploy/terraform/modules/` with the spec as literal arguments, a partial `pg` backend (the connection string
 * reaches terraform through PG_CONN_STR in its environment, never a file), and the outputs the adapter reads.
 * Platform settings every deployment shares (DNS zone, shared ingress) are root variables the operator sets as
 * TF_VAR_* in Plinth's environment.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProviderRequirement } from './terraform-providers';
import { TerminalError, type EngineDeployment } from './types';

type Tier = EngineDeployment['tier'];

/**
 * Per tier: the module, the platform variables (root variables, set via TF_VAR_*) it takes, and how the root's
 * provider configurations map onto the module's provider names — used only for the providers the module
 * actually requires (read from its required_providers).
 */
export const MODULES: Record<Tier, { dir: string; platformVars: string[]; providers: Record<string, string> }> = {
  shared: { dir: 'redis-shared', platformVars: ['dns_zone_id', 'dns_domain', 'ingress_hostname'], providers: { aws: 'aws', kubernetes: 'kubernetes' } },
  dedicated: { dir: 'redis-dedicated', platformVars: ['dns_zone_id', 'dns_domain', 'argocd_role_arn'], providers: { aws: 'aws', 'aws.dns': 'aws', kubernetes: 'kubernetes' } },
  byoc: { dir: 'redis-byoc', platformVars: ['dns_zone_id', 'dns_domain', 'argocd_role_arn'], providers: { aws: 'aws', kubernetes: 'kubernetes' } },
};

/** The arguments every module takes from the deployment (BYOC adds the customer's account). */
export const DEPLOYMENT_VARS = ['deployment_id', 'deployment_name', 'org_id', 'region', 'plan', 'redis_version', 'memory_mb', 'replicas', 'persistence'] as const;
export const BYOC_VARS = ['account_ref', 'external_id'] as const;

/** Outputs the adapter reads after apply; `password` is sensitive. */
/** The dependency lock file shipped next to the modules, copied into every working directory before init. */
export const LOCK_FILE = '.terraform.lock.hcl';

export const MODULE_OUTPUTS = ['host', 'port', 'tls', 'password'] as const;
/** Read when the module declares them (a root output naming a missing module output would not validate). */
export const OPTIONAL_OUTPUTS = ['hourly_cost_cents'] as const;

/** The optional outputs a module's .tf files declare (`output "name" {`). */
export function declaredOptionalOutputs(tfText: string): string[] {
  return OPTIONAL_OUTPUTS.filter((name) => new RegExp(`^\\s*output\\s+"${name}"\\s*\\{`, 'm').test(tfText));
}

/** One pg workspace per deployment; the id is a UUID, which is a valid workspace name. */
export const workspaceFor = (d: Pick<EngineDeployment, 'id'>) => `plinth-${d.id}`;

export function moduleArguments(d: EngineDeployment, accountRef: string | null): Record<string, string | number | boolean> {
  const args: Record<string, string | number | boolean> = {
    deployment_id: d.id,
    deployment_name: d.name,
    org_id: d.orgId,
    region: d.spec.region,
    plan: d.spec.plan,
    redis_version: d.spec.version,
    memory_mb: d.spec.memoryMb,
    replicas: d.spec.replicas,
    persistence: d.spec.persistence,
  };
  if (d.tier === 'byoc') {
    // The org id doubles as the ExternalId the customer's role trust policy requires (confused-deputy guard).
    Object.assign(args, { account_ref: accountRef ?? '', external_id: d.orgId });
  }
  return args;
}

/** Root provider configurations Plinth knows how to write; any other provider the module needs takes none. */
const ROOT_PROVIDERS: Record<string, (d: EngineDeployment) => Record<string, unknown>> = {
  // The management account; BYOC modules assume a role in the customer's account themselves. Every AWS resource
  // carries the deployment id, so after a hard kill what state missed can be found (and imported or deleted).
  aws: (d) => ({ region: d.spec.region, default_tags: { tags: { 'plinth.dev/deployment': d.id, 'plinth.dev/managed-by': 'plinth' } } }),
  // The management (shared) cluster, from KUBE_CONFIG_PATH in the workers' environment.
  kubernetes: () => ({}),
};

export function rootConfig(
  d: EngineDeployment,
  o: { workDir: string; modulesDir: string; accountRef: string | null; providers: Record<string, ProviderRequirement>; optionalOutputs?: string[] },
) {
  const m = MODULES[d.tier];
  const required = Object.fromEntries(Object.entries(o.providers).map(([name, p]) => [name, { source: p.source, ...(p.version ? { version: p.version } : {}) }]));
  const provider = Object.fromEntries(Object.keys(o.providers).filter((n) => n in ROOT_PROVIDERS).map((n) => [n, ROOT_PROVIDERS[n]!(d)]));
  // Pass a provider only when the module declares it (and, for an alias, lists it in configuration_aliases).
  const passed = Object.fromEntries(
    Object.entries(m.providers).filter(([inner]) => {
      const [name, alias] = inner.split('.');
      const p = o.providers[name!];
      return p && (!alias || p.aliases.includes(alias));
    }),
  );
  // Terraform only treats sources starting with ./ or ../ as local paths (read in place, not copied).
  const source = path.relative(/*turbopackIgnore: true*/ o.workDir, path.join(/*turbopackIgnore: true*/ o.modulesDir, m.dir)).split(path.sep).join('/');
  const platform = Object.fromEntries(m.platformVars.map((v) => [v, `\${var.${v}}`]));
  return {
    '//': `Generated by Plinth for deployment ${d.id}. Rewritten on every run: change the module, not this file.`,
    terraform: { ...(Object.keys(required).length > 0 ? { required_providers: required } : {}), backend: { pg: {} } },
    variable: Object.fromEntries(m.platformVars.map((v) => [v, { type: 'string', description: `Platform setting: set TF_VAR_${v} in Plinth's environment.` }])),
    ...(Object.keys(provider).length > 0 ? { provider } : {}),
    module: {
      redis: {
        source: source.startsWith('.') ? source : `./${source}`,
        ...(Object.keys(passed).length > 0 ? { providers: passed } : {}),
        ...moduleArguments(d, o.accountRef),
        ...platform,
      },
    },
    output: Object.fromEntries(
      [...MODULE_OUTPUTS, ...(o.optionalOutputs ?? [])].map((name) => [name, { value: `\${module.redis.${name}}`, ...(name === 'password' ? { sensitive: true } : {}) }]),
    ),
  };
}

/** What `init` depends on: the binary, the module's files, the lock file and the backend; not the module's arguments. */
export async function initKey(o: { bin: string; modulesDir: string }, d: EngineDeployment): Promise<string> {
  const hash = createHash('sha256').update(o.bin).update(MODULES[d.tier].dir);
  hash.update(await readFile(path.join(o.modulesDir, LOCK_FILE)).catch(() => ''));
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith('.tf')) hash.update(entry.name).update(await readFile(full));
    }
  };
  await walk(o.modulesDir).catch(() => {
    throw new TerminalError(`Terraform modules directory ${o.modulesDir} is missing: set PLINTH_DEPLOY_DIR to the folder holding terraform/modules/${MODULES[d.tier].dir}/.`);
  });
  return hash.digest('hex');
}
