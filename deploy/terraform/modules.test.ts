/**
 * The example product's Terraform modules, parsed with HashiCorp's own HCL parser (compiled to WASM): every
 * .tf file parses, each tier's module declares exactly the variables the adapter passes (and requires none it
 * does not), and outputs what the adapter reads, the password marked sensitive. Also the Argo CD side: the
 * ApplicationSet's template only uses parameters the engine writes, and the project matches the default.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseHcl } from '@cdktn/hcl2json';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { appConfig } from '~/server/reconciler/engines/argocd-values';
import { BYOC_VARS, DEPLOYMENT_VARS, MODULE_OUTPUTS, MODULES, rootConfig } from '~/server/reconciler/engines/terraform-config';
import { moduleProviders } from '~/server/reconciler/engines/terraform-providers';
import type { EngineDeployment } from '~/server/reconciler/engines/types';

const modulesDir = path.join(import.meta.dirname, 'modules');
type Block = Record<string, Array<Record<string, unknown>>>;
type Module = { variable: Block; output: Block; resource: Record<string, Block>; module: Block; provider: Block; locals: Block };

async function load(dir: string): Promise<Module> {
  const merged: Module = { variable: {}, output: {}, resource: {}, module: {}, provider: {}, locals: {} };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.tf'))) {
    const doc = (await parseHcl(file, readFileSync(path.join(dir, file), 'utf8'))) as Partial<Module>;
    for (const key of Object.keys(merged) as Array<keyof Module>) Object.assign(merged[key], doc[key] ?? {});
  }
  return merged;
}

const d = (tier: EngineDeployment['tier']): EngineDeployment => ({
  id: '0b9e8f3c-1111-4222-8333-944445555666',
  orgId: 'org',
  name: 'cache',
  generation: 1,
  tier,
  cloudAccountRef: tier === 'byoc' ? 'arn:aws:iam::123456789012:role/plinth' : null,
  chartVersion: '19.6.4',
  spec: { plan: 'pro', version: '7.2.5', region: 'eu-west-1', memoryMb: 1024, replicas: 1, persistence: true, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } },
});

describe('example product: Terraform modules', () => {
  it('parses every .tf file with the HCL parser', async () => {
    const dirs = readdirSync(modulesDir);
    expect(dirs.sort()).toEqual(['cluster', 'redis-byoc', 'redis-dedicated', 'redis-shared']);
    for (const dir of dirs) {
      for (const file of readdirSync(path.join(modulesDir, dir)).filter((f) => f.endsWith('.tf'))) {
        await expect(parseHcl(file, readFileSync(path.join(modulesDir, dir, file), 'utf8'))).resolves.toBeTypeOf('object');
      }
    }
    await expect(parseHcl('broken.tf', 'variable "x" {')).rejects.toThrow(/Unclosed configuration block/);
  });

  for (const tier of ['shared', 'dedicated', 'byoc'] as const) {
    it(`${tier}: declares what the adapter passes and outputs what it reads`, async () => {
      const m = await load(path.join(modulesDir, MODULES[tier].dir));
      const root = rootConfig(d(tier), { workDir: '/data/terraform/x', modulesDir: '/app/deploy/terraform/modules', accountRef: 'arn:aws:iam::123456789012:role/plinth', providers: await moduleProviders(path.join(modulesDir, MODULES[tier].dir)) });
      const passed = Object.keys(root.module.redis).filter((k) => !['source', 'providers'].includes(k));
      expect(passed.sort()).toEqual([...DEPLOYMENT_VARS, ...MODULES[tier].platformVars, ...(tier === 'byoc' ? BYOC_VARS : [])].sort());
      for (const v of passed) expect(m.variable, `variable "${v}"`).toHaveProperty(v);
      const required = Object.entries(m.variable).filter(([, [decl]]) => !('default' in (decl ?? {}))).map(([name]) => name);
      expect(required.filter((v) => !passed.includes(v))).toEqual([]);
      for (const o of MODULE_OUTPUTS) expect(m.output, `output "${o}"`).toHaveProperty(o);
      expect(m.output.password![0]).toMatchObject({ sensitive: true });
      for (const o of ['host', 'port', 'tls']) expect(m.output[o]![0]).not.toHaveProperty('sensitive', true);
    });
  }

  it('shared tier: namespace, quota, network policy, password, auth secret and DNS record, named by convention', async () => {
    const m = await load(path.join(modulesDir, 'redis-shared'));
    expect(Object.keys(m.resource).sort()).toEqual(['aws_route53_record', 'kubernetes_namespace_v1', 'kubernetes_network_policy_v1', 'kubernetes_resource_quota_v1', 'kubernetes_secret_v1', 'random_password']);
    // The Argo CD engine deploys into plinth-<id> and points the chart at secret redis-<id>.
    expect(JSON.stringify(m.locals)).toContain('"namespace":"plinth-${var.deployment_id}"');
    expect(m.resource.kubernetes_namespace_v1!.this![0]).toMatchObject({ metadata: [{ name: '${local.namespace}' }] });
    expect(m.resource.kubernetes_secret_v1!.auth![0]).toMatchObject({ metadata: [{ name: 'redis-${var.deployment_id}' }], data: { 'redis-password': '${random_password.this.result}' } });
  });

  it('dedicated tier uses the cluster module; BYOC assumes the customer role and reuses the dedicated stack', async () => {
    const dedicated = await load(path.join(modulesDir, 'redis-dedicated'));
    expect(dedicated.module.cluster![0]).toMatchObject({ source: '../cluster' });
    const cluster = await load(path.join(modulesDir, 'cluster'));
    expect(Object.keys(cluster.resource)).toEqual(expect.arrayContaining(['aws_eks_cluster', 'aws_eks_node_group']));
    const byoc = await load(path.join(modulesDir, 'redis-byoc'));
    expect(byoc.provider.aws![0]).toMatchObject({ alias: 'customer', assume_role: [{ role_arn: '${var.account_ref}', external_id: '${var.external_id}' }] });
    expect(byoc.module.redis![0]).toMatchObject({ source: '../redis-dedicated' });
    // Every argument BYOC hands the dedicated module is one it declares.
    const args = Object.keys(byoc.module.redis![0]!).filter((k) => !['source', 'providers'].includes(k));
    for (const a of args) expect(dedicated.variable).toHaveProperty(a);
  });
});

describe('example product: Argo CD ApplicationSet', () => {
  const appset = parseYaml(readFileSync(path.join(import.meta.dirname, '..', 'argocd', 'applicationset.yaml'), 'utf8'));

  it('generates from the folders the engine writes, and only uses parameters it writes', () => {
    expect(appset.kind).toBe('ApplicationSet');
    expect(appset.spec.generators[0].git.files).toEqual([{ path: 'tenants/*/config.json' }]);
    const params = [...JSON.stringify(appset.spec.template).matchAll(/\{\{\s*\.([\w.]+)\s*\}\}/g)].map((m) => m[1]!);
    const written = Object.keys(appConfig(d('shared'), { chartVersion: '1.0.0', sharedCluster: 'in-cluster' }));
    for (const p of params) expect([...written, 'path.path', 'path.basename']).toContain(p);
    expect(appset.spec.template.spec.project).toBe('plinth-tenants'); // ARGOCD_PROJECT's default
    expect(appset.spec.syncPolicy).toMatchObject({ applicationsSync: 'sync', preserveResourcesOnDeletion: false });
  });

  it('ships base Helm values and an AppProject that let the chart run', () => {
    const base = parseYaml(readFileSync(path.join(import.meta.dirname, '..', 'helm', 'redis', 'values.yaml'), 'utf8'));
    expect(base.auth.enabled).toBe(true);
    const project = parseYaml(readFileSync(path.join(import.meta.dirname, '..', 'argocd', 'project.yaml'), 'utf8'));
    expect(project.metadata.name).toBe(appset.spec.template.spec.project);
    expect(project.spec.roles[0].policies.join('\n')).toMatch(/applications, sync, plinth-tenants\/\*/);
  });
});
