/**
 * The emulator stays faithful to the real binary: the same commands on the same fixture module (built-in
 * terraform_data, test/fixtures/terraform) through both, and a diff of what their output looks like — the JSON
 * UI message types, each message's shape (field names and value types, recursively), the actions and summaries,
 * whole-second elapsed_seconds, no ANSI codes with -no-color, and the same backend errors.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERRAFORM_EMULATOR } from '~/test/engines';
import { FIXTURE_MODULES, realTerraformSetup } from '~/test/terraform-real';
import { childEnv } from './child-env';
import { rootConfig } from './terraform-config';
import { textDiagnostics } from './terraform-json';
import { moduleProviders } from './terraform-providers';
import type { EngineDeployment } from './types';

type Run = { lines: Array<Record<string, unknown>>; text: string; code: number | null };

/** Field names and value types, recursively; arrays by their first element. */
function shape(v: unknown): unknown {
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, shape((v as Record<string, unknown>)[k])]));
  return v === null ? 'null' : typeof v;
}

describe('terraform emulator vs the real binary: same output shapes', { timeout: 120_000 }, () => {
  let tf: Awaited<ReturnType<typeof realTerraformSetup>>;
  const runs: Record<'real' | 'emulator', Record<string, Run>> = { real: {}, emulator: {} };

  async function scenario(kind: 'real' | 'emulator') {
    const bin = kind === 'real' ? 'terraform' : TERRAFORM_EMULATOR;
    const id = randomUUID();
    const dir = path.join(tf.dir, `shapes-${kind}`);
    mkdirSync(dir, { recursive: true });
    const d: EngineDeployment = { id, orgId: randomUUID(), name: 'cache', generation: 1, tier: 'shared', cloudAccountRef: null, chartVersion: null, spec: { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 256, replicas: 0, persistence: false, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } } };
    const providers = await moduleProviders(path.join(FIXTURE_MODULES, 'redis-shared'));
    const write = (spec: Partial<EngineDeployment['spec']>) =>
      writeFileSync(path.join(dir, 'main.tf.json'), JSON.stringify(rootConfig({ ...d, spec: { ...d.spec, ...spec } }, { workDir: dir, modulesDir: FIXTURE_MODULES, accountRef: null, providers })));
    const control = path.join(tf.dir, `control-${kind}`);
    mkdirSync(control, { recursive: true });
    const run = (name: string, args: string[], o: { workspace?: boolean; pg?: string; cwd?: string } = {}) => {
      const env = childEnv({ ...tf.env, TF_EMULATOR_CONTROL: control, PG_CONN_STR: o.pg ?? tf.pgConnStr, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1', ...(o.workspace === false ? {} : { TF_WORKSPACE: `plinth-${id}` }) });
      const r = spawnSync(bin, args, { cwd: o.cwd ?? dir, env, encoding: 'utf8' });
      const lines: Run['lines'] = [];
      let text = r.stderr;
      for (const raw of r.stdout.split('\n').filter(Boolean)) {
        try {
          lines.push(JSON.parse(raw));
        } catch {
          text += `${raw}\n`;
        }
      }
      runs[kind][name] = { lines, text, code: r.status };
    };
    write({});
    run('init', ['init', '-input=false', '-no-color'], { workspace: false });
    run('workspace', ['workspace', 'select', '-or-create=true', '-no-color', `plinth-${id}`], { workspace: false });
    run('plan-create', ['plan', '-input=false', '-json', '-out=p.tfplan']);
    run('apply-create', ['apply', '-input=false', '-json', 'p.tfplan']);
    run('plan-noop', ['plan', '-input=false', '-json']);
    write({ memoryMb: 512 });
    run('plan-update', ['plan', '-input=false', '-json', '-out=p.tfplan']);
    run('apply-update', ['apply', '-input=false', '-json', 'p.tfplan']);
    write({ memoryMb: 512, persistence: true });
    run('plan-replace', ['plan', '-input=false', '-json', '-out=p.tfplan']);
    run('apply-replace', ['apply', '-input=false', '-json', 'p.tfplan']);
    run('refresh', ['plan', '-refresh-only', '-detailed-exitcode', '-input=false', '-json']);
    // The state lock held by another session: the diagnostic both print after -lock-timeout.
    const holder = await tf.sql.reserve();
    const [row] = await holder<{ id: string }[]>`select id from terraform_remote_state.states where name = ${`plinth-${id}`}`;
    await holder`select pg_advisory_lock(${row!.id})`;
    run('plan-locked', ['plan', '-input=false', '-json', '-lock-timeout=0s']);
    await holder`select pg_advisory_unlock(${row!.id})`;
    holder.release();
    run('plan-destroy', ['plan', '-input=false', '-json', '-destroy', '-out=p.tfplan']);
    run('apply-destroy', ['apply', '-input=false', '-json', 'p.tfplan']);
    // Backend error: no sslmode against a server without SSL, in a fresh directory.
    const fresh = path.join(dir, 'fresh');
    mkdirSync(fresh, { recursive: true });
    writeFileSync(path.join(fresh, 'main.tf.json'), readFileSync(path.join(dir, 'main.tf.json'), 'utf8').replaceAll('"../', '"../../'));
    run('init-ssl', ['init', '-input=false', '-no-color'], { workspace: false, pg: tf.pgConnStr.replace(/[?&]sslmode=disable/, ''), cwd: fresh });
  }

  beforeAll(async () => {
    tf = await realTerraformSetup();
    await Promise.all([scenario('real'), scenario('emulator')]);
  });
  afterAll(async () => {
    await tf?.drop();
  });

  // Provisioners (the fixture's cloud log) exist only in the real run; the emulator's resources have none.
  const isOwn = (type: unknown) => typeof type === 'string' && !type.startsWith('provision_');
  const shapes = (run: Run) => {
    const out: Record<string, Set<string>> = {};
    for (const l of run.lines.filter((x) => isOwn(x.type))) (out[String(l.type)] ??= new Set()).add(JSON.stringify(shape(l)));
    return out;
  };

  it('exit codes match, command by command', () => {
    expect(Object.fromEntries(Object.entries(runs.emulator).map(([k, r]) => [k, r.code]))).toEqual(Object.fromEntries(Object.entries(runs.real).map(([k, r]) => [k, r.code])));
  });

  it('print the same message types with the same shapes', () => {
    for (const name of Object.keys(runs.real).filter((n) => runs.real[n]!.lines.length > 0)) {
      const real = shapes(runs.real[name]!);
      const emu = shapes(runs.emulator[name]!);
      expect(Object.keys(emu).sort(), name).toEqual(Object.keys(real).sort());
      for (const type of Object.keys(real)) expect([...emu[type]!].sort(), `${name}: ${type}`).toEqual([...real[type]!].sort());
    }
  });

  it('plan the same actions and summaries (create, update, replace, delete)', () => {
    const actions = (run: Run) => run.lines.filter((l) => l.type === 'planned_change').map((l) => `${(l.change as { resource: { addr: string } }).resource.addr}: ${(l.change as { action: string }).action}`).sort();
    const summaries = (run: Run) => run.lines.filter((l) => l.type === 'change_summary').map((l) => l['@message']);
    for (const name of Object.keys(runs.real)) {
      expect(actions(runs.emulator[name]!), name).toEqual(actions(runs.real[name]!));
      expect(summaries(runs.emulator[name]!), name).toEqual(summaries(runs.real[name]!));
    }
    expect(actions(runs.real['plan-replace']!)).toEqual(['module.redis.terraform_data.volume: replace']);
  });

  it('report elapsed_seconds in whole seconds, print no ANSI codes with -no-color, and fail the backend the same way', () => {
    for (const kind of ['real', 'emulator'] as const) {
      const elapsed = Object.values(runs[kind]).flatMap((r) => r.lines.map((l) => (l.hook as { elapsed_seconds?: number } | undefined)?.elapsed_seconds).filter((x) => x !== undefined));
      expect(elapsed.length, kind).toBeGreaterThan(0);
      for (const e of elapsed) expect(Number.isInteger(e), `${kind}: ${e}`).toBe(true);
      for (const name of ['init', 'workspace', 'init-ssl']) expect(runs[kind][name]!.text, `${kind} ${name}`).not.toMatch(/\x1b\[/);
    }
    const summaries = (kind: 'real' | 'emulator') => textDiagnostics(runs[kind]['init-ssl']!.text.trim()).map((x) => x.summary);
    expect(summaries('emulator')).toEqual(summaries('real'));
    expect(textDiagnostics(runs.real['init-ssl']!.text.trim())[0]!.summary).toBe('pq: SSL is not enabled on the server');
  });
});
