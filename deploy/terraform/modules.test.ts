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
import { appConfig, chartValues } from '~/server/reconciler/engines/argocd-values';
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
    const dirs = readdirSync(modulesDir).filter((f) => !f.startsWith('.'));
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

describe('example product: what the issue review found', () => {
  it('shared tier: every container the chart runs satisfies the namespace quota (memory requests and limits, CPU limits)', async () => {
    const base = parseYaml(readFileSync(path.join(import.meta.dirname, '..', 'helm', 'redis', 'values.yaml'), 'utf8'));
    const mine = chartValues(d('shared'), {});
    const m = await load(path.join(modulesDir, 'redis-shared'));
    const locals = Object.assign({}, ...(Object.values(m.locals) as unknown as Array<Record<string, unknown>>));
    const mb = (v: string) => Number(v.replace(/Mi$/, ''));
    const milli = (v: string) => (v.endsWith('m') ? Number(v.slice(0, -1)) : Number(v) * 1000);
    for (const role of ['master', 'replica'] as const) {
      const resources = { requests: { ...base[role].resources?.requests, ...mine[role].resources.requests }, limits: { ...base[role].resources?.limits, ...mine[role].resources.limits } };
      expect(resources.requests.memory, role).toBeDefined();
      expect(resources.limits.memory, role).toBeDefined();
      expect(milli(String(resources.limits.cpu)), role).toBe(locals.redis_cpu_limit_m);
    }
    expect(base.metrics.enabled).toBe(true);
    expect(milli(base.metrics.resources.limits.cpu)).toBe(locals.metrics_cpu_limit_m);
    expect(mb(base.metrics.resources.requests.memory)).toBe(locals.metrics_memory_request);
    expect(mb(base.metrics.resources.limits.memory)).toBe(locals.metrics_memory_limit);
    const hard = (m.resource.kubernetes_resource_quota_v1!.this![0] as { spec: Array<{ hard: Record<string, string> }> }).spec[0]!.hard;
    expect(hard['limits.cpu']).toContain('local.metrics_cpu_limit_m');
    expect(hard['requests.memory']).toContain('local.metrics_memory_request');
    expect(hard['limits.memory']).toContain('local.metrics_memory_limit');
  });

  it('dedicated tier: nodes accept the NLB node port, the cluster API is reached with the module’s own AWS identity, Argo CD’s role is required', async () => {
    const m = await load(path.join(modulesDir, 'redis-dedicated'));
    expect(m.resource.aws_vpc_security_group_ingress_rule!.redis![0]).toMatchObject({ security_group_id: '${module.cluster.security_group_id}', from_port: '${local.node_port}', to_port: '${local.node_port}', ip_protocol: 'tcp' });
    const k8s = m.provider.kubernetes![0]!;
    expect(k8s).toMatchObject({ alias: 'tenant', token: '${data.aws_eks_cluster_auth.this.token}' });
    expect(k8s).not.toHaveProperty('exec'); // no aws CLI with Plinth's own credentials (BYOC: the customer role)
    expect(m.variable.argocd_role_arn![0]).not.toHaveProperty('default');
    const byoc = await load(path.join(modulesDir, 'redis-byoc'));
    expect(byoc.module.redis![0]).toMatchObject({ argocd_role_arn: '${var.argocd_role_arn}', providers: { aws: '${aws.customer}', 'aws.dns': '${aws}', kubernetes: '${kubernetes}' } });
    const cluster = await load(path.join(modulesDir, 'cluster'));
    expect(readFileSync(path.join(modulesDir, 'cluster', 'main.tf'), 'utf8')).toMatch(/name   = "availability-zone-id"\n    values = data.aws_availability_zones.eks.zone_ids/);
    expect(cluster.output).toHaveProperty('security_group_id');
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
