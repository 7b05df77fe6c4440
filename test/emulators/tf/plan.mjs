/**
 * plan and apply. A plan compares the resources the module declares (inputs = the variables each one reads)
 * with the workspace's state and writes a plan file; apply checks the plan is not stale, then creates, updates
 * or destroys resource by resource, saving state after each, with the JSON UI hooks Terraform prints.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { control, takeFailure } from './control.mjs';
import { META_ARGS } from './modules.mjs';
import { recordCloud, readState, writeState } from './state.mjs';
import * as ui from './ui.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Root variables: -var flags, then TF_VAR_*; a missing required one is a config error. */
function rootVariables(root, flags) {
  const values = {};
  for (const [name, decl] of Object.entries(root.variable ?? {})) {
    const v = flags[name] ?? process.env[`TF_VAR_${name}`] ?? decl.default;
    if (v === undefined) return { error: ['No value for required variable', `The root module input variable "${name}" is not set, and has no default value. Use a -var or -var-file command line argument to provide a value for this variable.`] };
    values[name] = v;
  }
  for (const name of Object.keys(flags)) {
    if (!(name in values)) return { error: ['Value for undeclared variable', `A variable named "${name}" was assigned on the command line, but the root module does not declare a variable of that name.`] };
  }
  return { values };
}

const evaluate = (v, vars) => (typeof v === 'string' ? (/^\$\{var\.(\w+)\}$/.test(v) ? vars[v.slice(6, -1)] : v.replace(/\$\{var\.(\w+)\}/g, (_, n) => vars[n])) : v);

/** Validates the root config against the installed modules, like Terraform's validate step; returns the desired world. */
export function desired(cwd, modules, flags) {
  const root = JSON.parse(readFileSync(path.join(cwd, 'main.tf.json'), 'utf8'));
  const vars = rootVariables(root, flags);
  if (vars.error) return { error: [...vars.error, ui.configRange()] };
  const resources = [];
  const outputs = {};
  for (const [name, call] of Object.entries(root.module ?? {})) {
    const mod = modules[name];
    if (!mod || mod.source !== call.source) return { error: ['Module not installed', `This module is not yet installed. Run "terraform init" to install all modules required by this configuration.`, ui.configRange()] };
    const args = Object.fromEntries(Object.entries(call).filter(([k]) => !META_ARGS.has(k)).map(([k, v]) => [k, evaluate(v, vars.values)]));
    for (const k of Object.keys(args)) if (!(k in mod.variables)) return { error: ['Unsupported argument', `An argument named "${k}" is not expected here.`, ui.configRange()] };
    for (const [k, v] of Object.entries(mod.variables)) if (v.required && !(k in args)) return { error: ['Missing required argument', `The argument "${k}" is required, but no definition was found.`, ui.configRange()] };
    for (const r of mod.resources) resources.push({ address: r.address, replaceVars: r.replaceVars ?? [], inputs: Object.fromEntries(r.vars.map((v) => [v, args[v] ?? null])) });
    for (const [out, decl] of Object.entries(root.output ?? {})) {
      const attr = /^\$\{module\.(\w+)\.(\w+)\}$/.exec(decl.value ?? '');
      if (!attr || attr[1] !== name) continue;
      if (!(attr[2] in mod.outputs)) return { error: ['Unsupported attribute', `This object does not have an attribute named "${attr[2]}".`, ui.configRange()] };
      outputs[out] = { from: attr[2], sensitive: decl.sensitive === true || mod.outputs[attr[2]].sensitive, args };
    }
  }
  return { resources, outputs, vars: vars.values };
}

export function diff(state, want, destroy) {
  const have = new Map(state.resources.map((r) => [r.address, r]));
  const changes = [];
  if (!destroy) {
    for (const r of want.resources) {
      const cur = have.get(r.address);
      if (!cur) changes.push({ address: r.address, action: 'create', inputs: r.inputs });
      else if (cur.tainted || r.replaceVars.some((v) => !same(cur.inputs[v], r.inputs[v]))) changes.push({ address: r.address, action: 'replace', inputs: r.inputs, reason: cur.tainted ? 'tainted' : 'cannot_update' });
      else if (!same(cur.inputs, r.inputs)) changes.push({ address: r.address, action: 'update', inputs: r.inputs, before: { input: cur.inputs } });
    }
  }
  const wanted = new Set(destroy ? [] : want.resources.map((r) => r.address));
  for (const r of [...state.resources].reverse()) if (!wanted.has(r.address)) changes.push({ address: r.address, action: 'delete' });
  return changes;
}

const count = (changes, a) => changes.filter((c) => c.action === a || (c.action === 'replace' && (a === 'create' || a === 'delete'))).length;

export async function plan(sql, ctx, opts) {
  const { state } = (await readState(sql, ctx.workspace)) ?? { state: null };
  const current = state ?? { serial: 0, lineage: randomUUID(), resources: [], outputs: {} };
  for (const r of current.resources) ui.refresh(r.address, r.id);
  if (opts.refreshOnly) {
    const drifted = control().drift && current.resources.length > 0;
    if (drifted) ui.drift(current.resources[0].address);
    ui.summary(0, 0, 0, 'plan');
    if (opts.out) {
      // The drifted resource: what was applied (state) → what the cloud says now (one input changed out of band).
      const r = current.resources[0];
      const drift = drifted ? [{ address: r.address, action: 'update', before: { input: r.inputs }, inputs: { ...r.inputs, drifted: true } }] : [];
      writeFileSync(path.join(ctx.cwd, opts.out), JSON.stringify({ workspace: ctx.workspace, serial: current.serial, lineage: current.lineage, changes: [], drift, outputs: {}, destroy: false }));
    }
    ui.outputs(Object.fromEntries(Object.entries(current.outputs).map(([k, o]) => [k, { sensitive: !!o.sensitive, action: 'noop' }])));
    return drifted && opts.detailedExitcode ? 2 : 0;
  }
  const changes = diff(current, ctx.want, opts.destroy);
  for (const c of changes) ui.planned(c.address, c.action, c.reason);
  ui.summary(count(changes, 'create'), count(changes, 'update'), count(changes, 'delete'), 'plan');
  const outputChanges = Object.fromEntries(
    Object.entries(opts.destroy ? current.outputs : ctx.want.outputs).map(([k, o]) => [k, { sensitive: !!o.sensitive, action: opts.destroy ? 'delete' : k in current.outputs ? 'noop' : 'create' }]),
  );
  ui.outputs(outputChanges);
  if (opts.out) writeFileSync(path.join(ctx.cwd, opts.out), JSON.stringify({ workspace: ctx.workspace, serial: current.serial, lineage: current.lineage, changes, outputs: opts.destroy ? {} : ctx.want.outputs, destroy: !!opts.destroy }));
  return changes.length > 0 && opts.detailedExitcode ? 2 : 0;
}

/** Values the emulated cloud hands back for the outputs Plinth's modules declare. */
function outputValue(name, args, previous) {
  if (previous !== undefined && name === 'password') return previous;
  switch (name) {
    case 'host': return `${args.deployment_name}-${String(args.deployment_id).slice(0, 8)}.${args.region}.${process.env.TF_VAR_dns_domain ?? 'redis.example.test'}`;
    case 'port': return 6379;
    case 'tls': return true;
    case 'password': return randomBytes(18).toString('base64url');
    default: return `${name}-${args.deployment_id ?? 'value'}`;
  }
}

export async function apply(sql, ctx, planFile, interrupted) {
  const p = JSON.parse(readFileSync(path.join(ctx.cwd, planFile), 'utf8'));
  const row = await readState(sql, ctx.workspace);
  const state = row?.state ?? { version: 4, serial: 0, lineage: p.lineage, outputs: {}, resources: [] };
  if (state.serial !== p.serial || state.lineage !== p.lineage) {
    ui.diagnostic('Saved plan is stale', 'The given plan file can no longer be applied because the state was changed by another operation after the plan was created.');
    return 1;
  }
  for (const c of p.changes) ui.planned(c.address, c.action, c.reason);
  const c = control();
  const done = { create: 0, update: 0, delete: 0 };
  // Like Terraform with a remote backend: state reaches the backend at the end, on interrupt, and otherwise at
  // most every persistMs (20 s) — a SIGKILL in between loses what was created since (the cloud keeps it).
  let persisted = Date.now();
  const persist = async (force) => {
    if (!force && Date.now() - persisted < (c.persistMs ?? 20_000)) return;
    await writeState(sql, ctx.workspace, state);
    persisted = Date.now();
  };
  // A failing apply fails at one resource: the first for a scripted failure, any for a random one (the hard
  // case, with some resources already made).
  const failure = p.changes.length > 0 ? takeFailure('apply') : null;
  const failAt = failure ? (failure.random ? Math.floor(Math.random() * p.changes.length) : 0) : -1;
  const steps = p.changes.flatMap((ch) => (ch.action === 'replace' ? [{ ...ch, action: 'delete', replacing: true }, { ...ch, action: 'create' }] : [ch]));
  for (const [index, change] of steps.entries()) {
    if (interrupted()) {
      await persist(true);
      ui.diagnostic('execution halted');
      ui.diagnostic('execution halted');
      return 1;
    }
    const existing = state.resources.find((r) => r.address === change.address);
    const id = change.action === 'create' ? randomUUID() : existing?.id ?? randomUUID();
    ui.applyStart(change.address, change.action, id);
    const started = Date.now();
    for (let waited = 0; waited < (c.slowMs ?? 0) && !interrupted(); waited += 20) {
      await sleep(20);
      if (c.progressEveryMs && (waited + 20) % c.progressEveryMs === 0) ui.applyProgress(change.address, change.action, (Date.now() - started) / 1000);
    }
    if (index === failAt) {
      ui.applyErrored(change.address, change.action, (Date.now() - started) / 1000);
      ui.diagnostic(failure.summary, failure.detail ?? '', { address: change.address });
      await persist(true);
      return 1;
    }
    if (change.action === 'delete') state.resources = state.resources.filter((r) => r.address !== change.address);
    else if (existing && change.action === 'update') existing.inputs = change.inputs;
    else state.resources.push({ address: change.address, id, inputs: change.inputs });
    state.serial += 1;
    await recordCloud(sql, ctx.workspace, change);
    if (change.action === 'create' && interrupted()) {
      // Interrupted mid-create: the object exists but its creation did not finish cleanly — saved tainted, and
      // the next plan replaces it (as Terraform does).
      state.resources.at(-1).tainted = true;
      ui.applyErrored(change.address, change.action, (Date.now() - started) / 1000);
      ui.diagnostic(`creating ${change.address.split('.').at(-2)}: operation canceled`, 'context canceled', { address: change.address });
      await persist(true);
      ui.diagnostic('execution halted');
      ui.diagnostic('execution halted');
      return 1;
    }
    await persist(false);
    done[change.action] += 1;
    ui.applyComplete(change.address, change.action, id, (Date.now() - started) / 1000);
  }
  const outs = {};
  for (const [k, o] of Object.entries(p.outputs)) {
    const value = outputValue(o.from, o.args, state.outputs[k]?.value);
    outs[k] = { value, type: typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'bool' : 'string', ...(o.sensitive ? { sensitive: true } : {}) };
  }
  if (!same(outs, state.outputs)) {
    state.outputs = outs;
    state.serial += 1;
  }
  await persist(true);
  ui.summary(done.create, done.update, done.delete, 'apply');
  ui.outputs(Object.fromEntries(Object.entries(state.outputs).map(([k, o]) => [k, o.sensitive ? { sensitive: true, type: o.type } : { sensitive: false, type: o.type, value: o.value }])));
  return 0;
}
