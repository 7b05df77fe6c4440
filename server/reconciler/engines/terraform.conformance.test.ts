/**
 * Conformance of the Terraform engine on the REAL terraform binary (≥ 1.5 on PATH, or this suite fails saying
 * so), with the pg backend on the Postgres server and fixture modules of built-in terraform_data resources
 * (test/fixtures/terraform): lifecycle, drift, interrupts, killed workers, lock contention, parallel
 * workspaces, configuration errors, the state role of the docs, and a generated root without warnings.
 * Scenarios run concurrently, each on its own deployment (workspace).
 */
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root } from '~/test/engines';
import { FIXTURE_MODULES, realTerraformSetup } from '~/test/terraform-real';
import { childEnv } from './child-env';
import { createTerraformEngine } from './terraform';
import { TerminalError, TransientError, type EngineDeployment } from './types';

const spec = { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 256, replicas: 0, persistence: false, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } };
const deployment = (extra: Partial<EngineDeployment> = {}): EngineDeployment => ({ id: randomUUID(), orgId: randomUUID(), name: 'cache', generation: 1, spec, tier: 'shared', cloudAccountRef: null, chartVersion: '19.6.4', ...extra });
const recorder = () => {
  const messages: string[] = [];
  return Object.assign((m: string) => void messages.push(m), { messages });
};
/** Waits for `check`; fails at once, with its outcome, if the run being watched ends first. */
const until = async (what: string, check: () => boolean, run?: Promise<unknown>, ms = 60_000) => {
  const end = Date.now() + ms;
  let outcome: string | null = null;
  void run?.then((v) => (outcome = `it ended: ${v instanceof Error ? v.message : 'success'}`), (e) => (outcome = `it failed: ${(e as Error).message}`));
  while (!check()) {
    if (outcome) throw new Error(`${what} never happened; ${outcome}`);
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};
const ADDR = 'module.redis.terraform_data';
const ALL = ['namespace', 'password', 'quota', 'step1', 'step2', 'step3', 'volume'];
const once = Object.fromEntries(ALL.map((n) => [n, { created: 1, destroyed: 0 }]));
const pgServer = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe.concurrent('terraform engine on the real terraform binary (conformance)', { timeout: 120_000 }, () => {
  let tf: Awaited<ReturnType<typeof realTerraformSetup>>;
  const allMessages: string[] = [];
  const watched = () => {
    const r = recorder();
    return Object.assign((m: string) => {
      allMessages.push(m);
      r(m);
    }, { messages: r.messages });
  };
  beforeAll(async () => {
    tf = await realTerraformSetup();
  });
  afterAll(async () => {
    // The generated roots never made terraform print a warning, in any scenario.
    expect(allMessages.filter((m) => m.startsWith('Warning'))).toEqual([]);
    await tf?.drop();
  });
  const engine = (over: Parameters<typeof createTerraformEngine>[0] extends infer O ? Partial<O> & { slowS?: number } : never = {}) =>
    createTerraformEngine({ ...tf.options, ...over, env: { ...tf.env, TFX_SLOW_S: String(over.slowS ?? 0) } });

  it('fresh and existing workspaces: create, no-op, in-place update, replace, outputs, destroy twice', async () => {
    const e = engine();
    const d = deployment();
    const p1 = watched();
    const first = await e.apply(d, p1);
    expect(first.outputs).toEqual({ host: `cache-${d.id.slice(0, 8)}.eu-west-1.redis.test`, port: 6379, tls: true });
    expect(first.secrets.password).toMatch(/^[0-9a-f]{32}$/);
    expect(p1.messages).toContain('Plan: 7 to add, 0 to change, 0 to destroy.');
    expect(p1.messages).toContain(`${ADDR}.step1: Creating...`);
    expect(p1.messages.at(-1)).toBe('Apply complete! Resources: 7 added, 0 changed, 0 destroyed.');
    expect(p1.messages.join('\n')).not.toContain(first.secrets.password);
    expect(tf.cloud(d.id)).toEqual(once);
    const dir = path.join(tf.workDir, d.id);
    for (const f of ['main.tf.json', '.terraform/plinth-init']) expect(readFileSync(path.join(dir, f), 'utf8')).not.toContain(tf.pgConnStr);

    const p2 = watched();
    expect(await e.apply(d, p2)).toEqual(first);
    expect(p2.messages).toEqual(['Plan: 0 to add, 0 to change, 0 to destroy.', 'No changes: the infrastructure already matches the spec']);

    const p3 = watched();
    await e.apply({ ...d, generation: 2, spec: { ...spec, memoryMb: 512 } }, p3);
    expect(p3.messages).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(p3.messages.some((m) => m.startsWith(`${ADDR}.quota: Modifying...`))).toBe(true);

    const p4 = watched();
    await e.apply({ ...d, generation: 3, spec: { ...spec, memoryMb: 512, persistence: true } }, p4);
    expect(p4.messages).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
    expect(tf.cloud(d.id).volume).toEqual({ created: 2, destroyed: 1 });

    // An existing workspace from a new host: no working directory, same state.
    rmSync(dir, { recursive: true });
    const p5 = watched();
    expect((await engine().apply({ ...d, generation: 3, spec: { ...spec, memoryMb: 512, persistence: true } }, p5)).secrets.password).toBe(first.secrets.password);
    expect(p5.messages).toContain('No changes: the infrastructure already matches the spec');

    const p6 = watched();
    await e.destroy(d, p6);
    expect(p6.messages).toContain('Apply complete! Resources: 0 added, 0 changed, 7 destroyed.');
    for (const [name, c] of Object.entries(tf.cloud(d.id))) expect(c.created - c.destroyed, name).toBe(0);
    expect(await tf.state(d.id)).toBeNull(); // the workspace is gone
    expect(existsSync(dir)).toBe(false);
    await e.destroy(d, watched()); // destroy twice: nothing left, still fine
    expect(await tf.state(d.id)).toBeNull();
  });

  it('drift: a tainted resource is replaced, a resource lost from state is created again, a refresh-only plan reports no drift when converged', async () => {
    const e = engine();
    const d = deployment();
    await e.apply(d, watched());
    expect(await e.plan(d)).toEqual({ drift: false, summary: 'no changes' });
    const dir = path.join(tf.workDir, d.id);
    const byHand = (...args: string[]) =>
      execFileSync('terraform', args, { cwd: dir, env: childEnv({ ...tf.env, PG_CONN_STR: tf.pgConnStr, TF_WORKSPACE: `plinth-${d.id}`, TF_IN_AUTOMATION: '1' }), encoding: 'utf8' });
    byHand('taint', '-no-color', '-lock-timeout=60s', `${ADDR}.quota`);
    expect((await tf.state(d.id))!.quota).toEqual(['tainted']);
    const p = watched();
    await e.apply(d, p);
    expect(p.messages).toContain('Plan: 1 to add, 0 to change, 1 to destroy.');
    // Terraform runs no destroy-time provisioner for a tainted instance: created twice, the first one replaced.
    expect(tf.cloud(d.id).quota).toEqual({ created: 2, destroyed: 0 });

    byHand('state', 'rm', '-no-color', '-lock-timeout=60s', `${ADDR}.namespace`);
    const p2 = watched();
    await e.apply(d, p2);
    expect(p2.messages).toContain('Plan: 1 to add, 0 to change, 0 to destroy.');
  });

  it('drift: a terraform_data input changed out of band is reported with resource, attribute and applied → found; apply heals it', async () => {
    const e = engine();
    const d = deployment();
    await e.apply(d, watched());
    expect(await e.plan(d)).toEqual({ drift: false, summary: 'no changes' });
    const dir = path.join(tf.workDir, d.id);
    const env = childEnv({ ...tf.env, PG_CONN_STR: tf.pgConnStr, TF_WORKSPACE: `plinth-${d.id}`, TF_IN_AUTOMATION: '1' });
    // Someone edits the recorded quota by hand (state pull, change memory_mb, state push with the next serial).
    const state = JSON.parse(execFileSync('terraform', ['state', 'pull'], { cwd: dir, env, encoding: 'utf8' }));
    const quota = state.resources.find((r: { module?: string; name: string }) => r.module === 'module.redis' && r.name === 'quota');
    quota.instances[0].attributes.input.value.memory_mb = 999; // dynamically typed: { value, type }
    state.serial += 1;
    const file = path.join(dir, 'edited.tfstate');
    writeFileSync(file, JSON.stringify(state));
    execFileSync('terraform', ['state', 'push', '-lock-timeout=60s', file], { cwd: dir, env, encoding: 'utf8' });
    rmSync(file);

    const drifted = await e.plan(d);
    expect(drifted.drift).toBe(true);
    expect(drifted.summary).toContain(`${ADDR}.quota: input.memory_mb 256 → 999`);
    expect(tf.cloud(d.id)).toEqual(once); // a drift check changes nothing
    const p = watched();
    await e.apply(d, p); // heal
    expect(p.messages).toContain('Plan: 0 to add, 1 to change, 0 to destroy.');
    expect(await e.plan(d)).toEqual({ drift: false, summary: 'no changes' });
  });

  it('SIGINT mid-apply: the resource in flight is saved tainted, no lock is left, the retry converges', async () => {
    const d = deployment();
    const p = watched();
    const abort = new AbortController();
    const applying = engine({ slowS: 20 }).apply(d, p, abort.signal).catch((err) => err);
    await until('step1 to start', () => p.messages.includes(`${ADDR}.step1: Creating...`), applying);
    await new Promise((r) => setTimeout(r, 300));
    abort.abort(new Error('lease lost'));
    const err = await applying;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.message).toBe('terraform apply was interrupted (lease lost); Terraform saves its state on interrupt, and the next attempt continues from it.');
    const saved = (await tf.state(d.id))!;
    expect(saved.step1).toEqual(['tainted']);
    expect(saved.step2).toBeUndefined();
    expect(saved.namespace).toEqual(['ok']);
    // No lock left: an engine that does not wait at all gets through.
    const impatient = engine({ lockTimeoutS: 0, lockWaitMs: 0 });
    const p2 = watched();
    await impatient.apply(d, p2);
    expect(p2.messages).toContain('Plan: 3 to add, 0 to change, 1 to destroy.');
    expect(tf.cloud(d.id)).toEqual({ ...once, step1: { created: 2, destroyed: 0 } }); // tainted: replaced without its destroy provisioner
  });

  it('SIGKILL of the worker mid-apply: its terraform finishes, the next engine waits for the lock, nothing is created twice', async () => {
    const d = deployment();
    const options = { ...tf.options, env: { ...tf.env, TFX_SLOW_S: '2' } };
    const worker = spawn(process.execPath, ['--import', 'tsx', 'test/terraform-apply.ts', JSON.stringify({ options, deployment: d })], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    worker.stdout!.on('data', (b) => (out += b));
    await until('the worker to start step1', () => out.includes(`${ADDR}.step1: Creating...`), new Promise((r) => worker.once('exit', () => r(new Error(out)))));
    worker.kill('SIGKILL');
    await new Promise((r) => worker.once('exit', r));
    const p = watched();
    await engine().apply(d, p);
    expect(p.messages).toContain('No changes: the infrastructure already matches the spec');
    expect(tf.cloud(d.id)).toEqual(once);
    expect(Object.values((await tf.state(d.id))!).flat()).toEqual(ALL.map(() => 'ok'));
  });

  it('two engines on one deployment: the state lock is honoured (one waits, one that will not wait is refused)', async () => {
    const d = deployment();
    const first = watched();
    const applying = engine({ slowS: 2 }).apply(d, first);
    await until('the first apply to hold the lock', () => first.messages.includes(`${ADDR}.step1: Creating...`), applying);
    const refused = await engine({ lockTimeoutS: 0, lockWaitMs: 0 }).apply(d, watched()).catch((err) => err);
    expect(refused).toBeInstanceOf(TransientError);
    expect(refused.message).toMatch(/^terraform plan failed: Error acquiring the state lock/);
    const second = watched();
    await Promise.all([applying, engine().apply(d, second)]);
    expect(second.messages).toContain('No changes: the infrastructure already matches the spec');
    expect(tf.cloud(d.id)).toEqual(once);
  });

  it('several new workspaces at once, from two engines', async () => {
    const a = engine();
    const b = engine();
    const ds = Array.from({ length: 4 }, () => deployment());
    const results = await Promise.all(ds.map((d, i) => (i % 2 ? a : b).apply(d, watched())));
    for (const [i, r] of results.entries()) expect(r.outputs.host).toBe(`cache-${ds[i]!.id.slice(0, 8)}.eu-west-1.redis.test`);
    for (const d of ds) expect(tf.cloud(d.id)).toEqual(once);
  });

  it('configuration errors are terminal, with the real message', async () => {
    const modules = mkdtempSync(path.join(tmpdir(), 'plinth-fixture-'));
    cpSync(FIXTURE_MODULES, modules, { recursive: true });
    const variables = path.join(modules, 'redis-shared', 'variables.tf');
    writeFileSync(variables, readFileSync(variables, 'utf8').replace(/variable "persistence" \{[^}]*\}/, ''));
    const missing = await engine({ modulesDir: modules }).apply(deployment(), watched()).catch((err) => err);
    expect(missing).toBeInstanceOf(TerminalError);
    expect(missing.message).toBe('terraform plan failed: Extraneous JSON object property (main.tf.json): No argument or block type is named "persistence".');

    const main = path.join(modules, 'redis-shared', 'main.tf');
    writeFileSync(main, `${readFileSync(main, 'utf8')}\nresource "terraform_data" "broken" {\n`);
    const syntax = await engine({ modulesDir: modules }).apply(deployment(), watched()).catch((err) => err);
    expect(syntax).toBeInstanceOf(TerminalError);
    expect(syntax.message).toMatch(/^terraform init failed: Unclosed configuration block \(.*redis-shared\/main\.tf line \d+\): There is no closing brace for this block/);
    rmSync(modules, { recursive: true });

    const noSsl = await engine({ pgConnStr: tf.pgConnStr.replace(/[?&]sslmode=disable/, '') }).apply(deployment(), watched()).catch((err) => err);
    expect(noSsl).toBeInstanceOf(TerminalError);
    expect(noSsl.message).toBe('terraform init failed: pq: SSL is not enabled on the server');
  });

  it('keeps state in a database of its own with its own role, created with the SQL the docs give (PostgreSQL 15+)', async () => {
    const docs = readFileSync(path.join(root, 'docs', 'real-engines.md'), 'utf8');
    const block = /```sql\n\s*-- state database and role\n([\s\S]*?)```/.exec(docs)?.[1];
    expect(block, 'docs/real-engines.md has the state database SQL').toBeTruthy();
    const suffix = randomUUID().slice(0, 8);
    const [role, database, password] = [`plinth_tfstate_${suffix}`, `plinth_tfstate_${suffix}`, `pw-${suffix}`];
    const admin = postgres(pgServer, { max: 1, onnotice: () => {} });
    try {
      for (const statement of block!.replaceAll('plinth_tfstate', role).replace("'change-me'", `'${password}'`).split(';').map((s) => s.trim()).filter(Boolean)) {
        await admin.unsafe(statement);
      }
      const url = new URL(pgServer);
      Object.assign(url, { username: role, password, pathname: `/${database}` });
      url.searchParams.set('sslmode', 'disable');
      const d = deployment();
      const r = await engine({ pgConnStr: url.toString() }).apply(d, watched());
      expect(r.outputs.port).toBe(6379);
      const state = postgres(url.toString(), { max: 1, onnotice: () => {} });
      const rows = await state<{ name: string }[]>`select name from terraform_remote_state.states`;
      await state.end();
      expect(rows.map((x) => x.name)).toEqual([`plinth-${d.id}`]);
    } finally {
      await admin.unsafe(`drop database if exists ${database} with (force)`);
      await admin.unsafe(`drop role if exists ${role}`);
      await admin.end();
    }
  });
});
