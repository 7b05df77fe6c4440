/**
 * The Terraform engine against the terraform emulator (real JSON UI stream, real pg backend tables and
 * advisory locks in a Postgres server database): apply/update/no-op/destroy, progress and secrets, drift,
 * lock retries, SIGINT and SIGKILL cancellation, error classification, OpenTofu, BYOC.
 */
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terraformSetup } from '~/test/engines';
import { createTerraformEngine } from './terraform';
import { TerminalError, TransientError, type EngineDeployment } from './types';

const spec = { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 256, replicas: 0, persistence: false, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } };
const deployment = (extra: Partial<EngineDeployment> = {}): EngineDeployment => ({ id: randomUUID(), orgId: randomUUID(), name: 'cache', generation: 1, spec, tier: 'shared', cloudAccountRef: null, chartVersion: '19.6.4', ...extra });
const recorder = () => {
  const messages: string[] = [];
  return Object.assign((m: string) => void messages.push(m), { messages });
};
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)]));

// Concurrent: every test has its own deployment (workspace), and most of the time is spent waiting on processes.
describe.concurrent('terraform engine (emulator, postgres state)', () => {
  let tf: Awaited<ReturnType<typeof terraformSetup>>;
  beforeAll(async () => {
    tf = await terraformSetup();
  });
  afterAll(async () => {
    await tf.drop();
  });

  it('creates, streams per-resource progress, updates only what changed, is a no-op when converged, destroys everything', async () => {
    const engine = createTerraformEngine(tf.options);
    const d = deployment();
    const p1 = recorder();
    const first = await engine.apply(d, p1);
    expect(first.outputs).toEqual({ host: `cache-${d.id.slice(0, 8)}.eu-west-1.redis.test`, port: 6379, tls: true });
    expect(first.secrets.password).toMatch(/^[\w-]{20,}$/);
    expect(p1.messages).toContain('Plan: 6 to add, 0 to change, 0 to destroy.');
    expect(p1.messages).toContain('module.redis.kubernetes_resource_quota_v1.this: Creating...');
    expect(p1.messages.filter((m) => / Creation complete after /.test(m))).toHaveLength(6);
    expect(p1.messages.at(-1)).toBe('Apply complete! Resources: 6 added, 0 changed, 0 destroyed.');
    expect(p1.messages.join('\n')).not.toContain(first.secrets.password);

    // Generated root: the tier's module, the spec as arguments, a pg backend without any connection string.
    const dir = path.join(tf.workDir, d.id);
    const config = JSON.parse(readFileSync(path.join(dir, 'main.tf.json'), 'utf8'));
    // Exactly the providers the module requires, declared, so terraform prints no "undefined provider" warning.
    expect(config.terraform).toEqual({
      required_providers: { aws: { source: 'hashicorp/aws', version: '~> 5.40' }, kubernetes: { source: 'hashicorp/kubernetes', version: '~> 2.23' }, random: { source: 'hashicorp/random', version: '~> 3.5' } },
      backend: { pg: {} },
    });
    expect(config.provider).toEqual({ aws: { region: 'eu-west-1', default_tags: { tags: { 'plinth.dev/deployment': d.id, 'plinth.dev/managed-by': 'plinth' } } }, kubernetes: {} });
    expect(config.module.redis).toMatchObject({ source: expect.stringMatching(/^\.\.\/.*deploy\/terraform\/modules\/redis-shared$/), memory_mb: 256, deployment_id: d.id });
    for (const file of filesUnder(dir)) expect(readFileSync(file, 'utf8')).not.toContain(tf.pgConnStr);

    const p2 = recorder();
    const again = await engine.apply(d, p2);
    expect(again).toEqual(first);
    expect(p2.messages).toEqual(['Plan: 0 to add, 0 to change, 0 to destroy.', 'No changes: the infrastructure already matches the spec']);

    const p3 = recorder();
    const resized = await engine.apply({ ...d, generation: 2, spec: { ...spec, memoryMb: 512 } }, p3);
    expect(resized.secrets.password).toBe(first.secrets.password);
    expect(p3.messages.filter((m) => m.includes('Modifying...'))).toEqual([`module.redis.kubernetes_resource_quota_v1.this: Modifying... [id=${p3.messages.find((m) => m.includes('Modifying'))!.split('[id=')[1]!.slice(0, -1)}]`]);

    const p4 = recorder();
    await engine.destroy(d, p4);
    expect(p4.messages).toContain('Apply complete! Resources: 0 added, 0 changed, 6 destroyed.');
    expect(existsSync(dir)).toBe(false);
    expect(await tf.audit([d.id])).toEqual({ orphaned: 0, createdTwice: 0, workspacesLeft: 0 });
    await engine.destroy(d, recorder()); // idempotent: a second destroy finds nothing and still succeeds
    expect(await tf.audit([d.id])).toEqual({ orphaned: 0, createdTwice: 0, workspacesLeft: 0 });
  });

  it('reports drift from a refresh-only plan (exit code 2), and none otherwise', async () => {
    const engine = createTerraformEngine(tf.options);
    const d = deployment();
    await engine.apply(d, recorder());
    expect(await engine.plan(d)).toEqual({ drift: false, summary: 'no changes' });
    tf.control(`plinth-${d.id}`, { drift: true });
    const drifted = await engine.plan(d);
    expect(drifted.drift).toBe(true);
    // Readable: resource, attribute, applied → found (from `show -json` of the refresh-only plan).
    expect(drifted.summary).toMatch(/^module\.redis\.\S+: input\.drifted null → true$/);
  });

  it('waits for a locked state (terraform -lock-timeout, then again), and gives up with a retryable error only after lockWaitMs', async () => {
    const d = deployment();
    await createTerraformEngine(tf.options).apply(d, recorder());
    const holder = await tf.sql.reserve();
    const [row] = await holder<{ id: string }[]>`select id from terraform_remote_state.states where name = ${`plinth-${d.id}`}`;
    const id = row!.id;

    // terraform itself waits (-lock-timeout): the engine sees no lock error at all.
    await holder`select pg_advisory_lock(${id})`;
    const patient = createTerraformEngine({ ...tf.options, lockTimeoutS: 30 });
    const p0 = recorder();
    const waiting = patient.apply({ ...d, spec: { ...spec, memoryMb: 768 } }, p0);
    await new Promise((r) => setTimeout(r, 700));
    await holder`select pg_advisory_unlock(${id})`;
    await waiting;
    expect(p0.messages).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');
    expect(p0.messages.some((m) => m.includes('is locked'))).toBe(false);

    // terraform gives up (-lock-timeout=0s): the engine runs it again, saying why, until the lock is free.
    await holder`select pg_advisory_lock(${id})`;
    const engine = createTerraformEngine({ ...tf.options, lockTimeoutS: 0, lockWaitMs: 60_000 });
    const p = recorder();
    const applying = engine.apply({ ...d, spec: { ...spec, memoryMb: 1024 } }, p);
    while (!p.messages.some((m) => m.includes('is locked by another terraform run'))) await new Promise((r) => setTimeout(r, 20));
    await holder`select pg_advisory_unlock(${id})`;
    await applying;
    expect(p.messages).toContain('Apply complete! Resources: 0 added, 1 changed, 0 destroyed.');

    await holder`select pg_advisory_lock(${id})`;
    const stubborn = createTerraformEngine({ ...tf.options, lockTimeoutS: 0, lockWaitMs: 300 });
    const err = await stubborn.apply(d, recorder()).catch((e) => e);
    await holder`select pg_advisory_unlock(${id})`;
    holder.release();
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toMatch(/^terraform plan failed: Error acquiring the state lock: Error message: Workspace is already locked: plinth-/);
  });

  it('cancels with SIGINT: Terraform stops, saves state with the resource in flight tainted, and the next apply replaces it without creating twice', async () => {
    const engine = createTerraformEngine(tf.options);
    const d = deployment();
    tf.control(`plinth-${d.id}`, { slowMs: 400, progressEveryMs: 100 });
    const p = recorder();
    const applying = engine.apply(d, p).catch((e) => e);
    while (!p.messages.some((m) => m.includes('Still creating...'))) await new Promise((r) => setTimeout(r, 20));
    engine.cancelAll('test cancels');
    const err = await applying;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toBe('terraform apply was interrupted (test cancels); Terraform saves its state on interrupt, and the next attempt continues from it.');
    const [row] = await tf.sql<{ data: string }[]>`select data from terraform_remote_state.states where name = ${`plinth-${d.id}`}`;
    const resources = JSON.parse(row!.data).resources as Array<{ tainted?: boolean }>;
    const saved = resources.length;
    expect(saved).toBeGreaterThanOrEqual(1);
    expect(saved).toBeLessThan(6);
    // The resource in flight was saved tainted, like Terraform does: the retry replaces it.
    expect(resources.filter((r) => r.tainted)).toHaveLength(1);

    tf.control(`plinth-${d.id}`, {});
    const p2 = recorder();
    await engine.apply(d, p2);
    expect(p2.messages).toContain(`Plan: ${6 - saved + 1} to add, 0 to change, 1 to destroy.`);
    expect(await tf.audit()).toMatchObject({ createdTwice: 0 });
  });

  it('kills with SIGKILL only when terraform ignores SIGINT past the grace period, and says state needs an operator', async () => {
    const engine = createTerraformEngine({ ...tf.options, graceMs: 300 });
    const d = deployment();
    // Without the SIGKILL this apply would run for ten minutes and the test would time out.
    tf.control(`plinth-${d.id}`, { slowMs: 600_000, hangOnInterrupt: true });
    const p = recorder();
    const applying = engine.apply(d, p).catch((e) => e);
    while (!p.messages.some((m) => m.endsWith('Creating...'))) await new Promise((r) => setTimeout(r, 20));
    engine.cancelAll('deadline');
    const err = await applying;
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toMatch(/^terraform apply did not stop within 0 s of an interrupt and was killed: .*After a hard kill.*plinth\.dev\/deployment=/);
  });

  it('stops on configuration errors and names them; retries cloud failures', async () => {
    const modules = mkdtempSync(path.join(tmpdir(), 'plinth-modules-'));
    cpSync(tf.options.modulesDir, modules, { recursive: true });
    const variables = path.join(modules, 'redis-shared', 'variables.tf');
    writeFileSync(variables, readFileSync(variables, 'utf8').replace(/variable "persistence" \{[^}]*\}/, ''));
    const broken = createTerraformEngine({ ...tf.options, modulesDir: modules });
    const err = await broken.apply(deployment(), recorder()).catch((e) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toBe('terraform plan failed: Unsupported argument (main.tf.json): An argument named "persistence" is not expected here.');

    cpSync(tf.options.modulesDir, modules, { recursive: true });
    const outputs = path.join(modules, 'redis-shared', 'outputs.tf');
    writeFileSync(outputs, readFileSync(outputs, 'utf8').replace(/output "tls" \{[^}]*\}/, ''));
    const noTls = await createTerraformEngine({ ...tf.options, modulesDir: modules }).apply(deployment(), recorder()).catch((e) => e);
    expect(noTls).toBeInstanceOf(TerminalError);
    expect(noTls.message).toMatch(/Unsupported attribute.*"tls"/);
    rmSync(modules, { recursive: true });

    const engine = createTerraformEngine(tf.options);
    const d = deployment();
    tf.control(`plinth-${d.id}`, { fail: [{ command: 'apply', summary: 'creating Route53 Record: ThrottlingException: Rate exceeded', times: 1 }] });
    const flaky = await engine.apply(d, recorder()).catch((e) => e);
    expect(flaky).toBeInstanceOf(TransientError);
    expect(flaky.message).toMatch(/^terraform apply failed: creating Route53 Record: ThrottlingException: Rate exceeded \(module\.redis\./);
    await expect(engine.apply(d, recorder())).resolves.toMatchObject({ outputs: { port: 6379 } });

    const missing = await createTerraformEngine({ ...tf.options, bin: '/nonexistent/terraform' }).apply(deployment(), recorder()).catch((e) => e);
    expect(missing).toBeInstanceOf(TerminalError);
    expect(missing.message).toBe('/nonexistent/terraform was not found: install Terraform or OpenTofu, or set TERRAFORM_BIN to its path.');
  });

  it('drives OpenTofu the same way and tolerates stray non-JSON output', async () => {
    const engine = createTerraformEngine(tf.options);
    const d = deployment();
    tf.control(`plinth-${d.id}`, { tool: 'tofu', noise: true });
    const p = recorder();
    await expect(engine.apply(d, p)).resolves.toMatchObject({ outputs: { tls: true } });
    expect(p.messages.at(-1)).toBe('Apply complete! Resources: 6 added, 0 changed, 0 destroyed.');
    expect(p.messages.join('\n')).not.toContain('stray');
  });

  it('builds BYOC in the account the organization names, and refuses when it names none', async () => {
    const engine = createTerraformEngine(tf.options);
    const d = deployment({ tier: 'byoc', spec: { ...spec, plan: 'enterprise' } });
    const err = await engine.apply(d, recorder()).catch((e) => e);
    expect(err).toBeInstanceOf(TerminalError);
    expect(err.message).toMatch(/^This organization has no cloud account for BYOC/);

    // The claim selects the organization's account with the deployment; the engine reads nothing else.
    const p = recorder();
    await engine.apply({ ...d, cloudAccountRef: 'arn:aws:iam::123456789012:role/plinth' }, p);
    const config = JSON.parse(readFileSync(path.join(tf.workDir, d.id, 'main.tf.json'), 'utf8'));
    expect(config.module.redis).toMatchObject({ source: expect.stringMatching(/redis-byoc$/), account_ref: 'arn:aws:iam::123456789012:role/plinth', external_id: d.orgId });
    expect(p.messages).toContain('module.redis.module.redis.module.cluster.aws_eks_cluster.this: Creating...');
  });
});
