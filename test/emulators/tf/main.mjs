/**
 * A stand-in for the terraform/tofu CLI, for tests only: the subset of commands Plinth's adapter runs, with the
 * real JSON UI stream, the real pg backend storage and locks (in the Postgres named by PG_CONN_STR), exit codes
 * as documented (1 error, 2 changes with -detailed-exitcode), and SIGINT handled the way Terraform does
 * (first: stop after the current resource and save state; second: exit at once). Steered by control.mjs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { control, flavor, takeFailure } from './control.mjs';
import { initModules } from './modules.mjs';
import { apply, desired, plan } from './plan.mjs';
import { backendError, connect, createWorkspace, deleteWorkspace, ensureSchema, lock, readState } from './state.mjs';
import * as ui from './ui.mjs';

const cwd = process.cwd();
const [command, ...rest] = process.argv.slice(2);
const flags = {};
const vars = {};
const positional = [];
for (let i = 0; i < rest.length; i++) {
  const a = rest[i];
  if (a === '-var') vars[rest[++i].split('=')[0]] = rest[i].split('=').slice(1).join('=');
  else if (a.startsWith('-')) {
    const [k, v] = a.replace(/^-+/, '').split('=');
    flags[k] = v ?? true;
  } else positional.push(a);
}
const json = flags.json === true;
const dotTerraform = path.join(cwd, '.terraform');
const envFile = path.join(dotTerraform, 'environment');
const workspace = process.env.TF_WORKSPACE || (existsSync(envFile) ? readFileSync(envFile, 'utf8').trim() : 'default');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** -lock-timeout=30s / 1m / 500ms, as terraform parses it (Go durations). */
const lockTimeoutMs = (() => {
  const m = /^(\d+)(ms|s|m|h)$/.exec(String(flags['lock-timeout'] ?? '0s'));
  return m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2]] : 0;
})();

let interrupts = 0;
process.on('SIGINT', () => {
  // A provider stuck in an API call does not stop on SIGINT: only SIGKILL ends it.
  if (control().hangOnInterrupt) return;
  interrupts += 1;
  if (interrupts === 1) {
    ui.log('Stopping operation...');
    ui.log('\nInterrupt received.\nPlease wait for Terraform to exit or data loss may occur.\nGracefully shutting down...\n');
  } else {
    ui.log('Two interrupts received. Exiting immediately. Note that data loss may have occurred.');
    process.exit(1);
  }
});

function fail(summary, detail = '', extra = {}) {
  if (json) ui.diagnostic(summary, detail, extra);
  else ui.textError(summary, detail);
  return 1;
}

async function main() {
  if (command === 'version') {
    const f = flavor();
    if (flags.json) process.stdout.write(`${JSON.stringify({ terraform_version: f.version, platform: 'linux_amd64', provider_selections: {}, terraform_outdated: false }, null, 2)}\n`);
    else process.stdout.write(`${f.tool === 'tofu' ? 'OpenTofu' : 'Terraform'} v${f.version}\non linux_amd64\n`);
    return 0;
  }
  // Only the streaming commands open with a version line; `output -json` and `show -json` print a bare JSON document.
  if (json && command !== 'output' && command !== 'show') ui.version();
  // apply fails per resource (plan.mjs), everything else fails up front.
  const scripted = command === 'apply' ? null : takeFailure(command);
  if (scripted) return fail(scripted.summary, scripted.detail ?? '');
  const sql = connect();
  if (!sql) return fail('Error configuring the backend "pg"', 'conn_str is required: set it in the backend block or PG_CONN_STR.');
  try {
    return await run(sql);
  } catch (e) {
    const message = backendError(e);
    if (message) return fail(message);
    throw e;
  } finally {
    await sql.end({ timeout: 1 });
  }
}

async function run(sql) {
  if (command === 'init') {
    ui.text('Initializing the backend...', 0);
    await ensureSchema(sql);
    if (process.env.TF_WORKSPACE && !(await readState(sql, workspace))) return fail(`Currently selected workspace "${workspace}" does not exist`);
    let modules;
    try {
      modules = await initModules(cwd);
    } catch (e) {
      return fail(e.message, e.detail ?? '');
    }
    mkdirSync(dotTerraform, { recursive: true });
    writeFileSync(path.join(dotTerraform, 'terraform.tfstate'), JSON.stringify({ version: 3, backend: { type: 'pg', config: {} } }));
    writeFileSync(path.join(dotTerraform, 'emulator-modules.json'), JSON.stringify(modules));
    ui.text('\nSuccessfully configured the backend "pg"! Terraform will automatically\nuse this backend unless the backend configuration changes.');
    ui.text('Terraform has been successfully initialized!');
    return 0;
  }
  if (command === 'workspace') {
    const [sub, name] = positional;
    if (sub === 'select') {
      if (name !== 'default' && !(await readState(sql, name))) {
        if (flags['or-create'] !== 'true') return fail(`Workspace "${name}" doesn't exist.`);
        await createWorkspace(sql, name, flavor().version);
        ui.text(`Created and switched to workspace "${name}"!`);
      } else ui.text(`Switched to workspace "${name}".`);
      writeFileSync(envFile, name);
      return 0;
    }
    if (sub === 'delete') {
      if (name === workspace) return fail(`Workspace "${name}" is your active workspace.`, 'You cannot delete the currently active workspace. Please switch to another workspace and try again.');
      const row = await readState(sql, name);
      if (!row) return fail(`Workspace "${name}" doesn't exist.`);
      if (row.state.resources.length > 0) return fail('Workspace is not empty', `Workspace "${name}" is currently tracking the following resource instances:\n  - ${row.state.resources.map((r) => r.address).join('\n  - ')}`);
      if (!(await lock(sql, name, lockTimeoutMs))) return fail('Error acquiring the state lock', `Error message: Workspace is already locked: ${name}`);
      await deleteWorkspace(sql, name);
      ui.text(`Deleted workspace "${name}"!`);
      return 0;
    }
    return fail(`unsupported workspace subcommand ${sub}`);
  }
  if (!existsSync(path.join(dotTerraform, 'terraform.tfstate'))) {
    return fail('Backend initialization required, please run "terraform init"', 'Reason: Initial configuration of the requested backend "pg"');
  }
  if (command === 'output') {
    const row = await readState(sql, workspace);
    const outs = row?.state?.outputs ?? {};
    process.stdout.write(Object.keys(outs).length === 0 ? '{}\n' : `${JSON.stringify(outs, null, 2)}\n`);
    return 0;
  }
  if (command === 'show') {
    // `show -json <planfile>`: the plan's resource changes and drift, with before/after as Terraform prints them.
    const p = JSON.parse(readFileSync(path.join(cwd, positional[0]), 'utf8'));
    const entry = (c) => ({ address: c.address, change: { actions: c.action === 'replace' ? ['delete', 'create'] : [c.action], before: c.before ?? null, after: c.inputs ? { input: c.inputs } : null }, ...(c.reason === 'tainted' ? { action_reason: 'replace_because_tainted' } : {}) });
    process.stdout.write(`${JSON.stringify({ format_version: '1.2', resource_drift: (p.drift ?? []).map(entry), resource_changes: p.changes.map(entry) })}\n`);
    return 0;
  }
  if (command !== 'plan' && command !== 'apply') return fail(`emulator: unsupported command ${command}`);
  if (command === 'apply' && positional.length === 0 && !flags['auto-approve']) {
    return fail('Plan file or auto-approve required', 'Terraform cannot ask for interactive approval when -json is set. You can either apply a saved plan file, or enable the -auto-approve option.');
  }
  if (!(await lock(sql, workspace, lockTimeoutMs))) {
    return fail('Error acquiring the state lock', `Error message: Workspace is already locked: ${workspace}\nLock Info:\n  ID:        00000000-0000-0000-0000-000000000000\n  Path:      \n  Operation: OperationType${command === 'plan' ? 'Plan' : 'Apply'}\n  Who:       emulator\n  Version:   ${flavor().version}\n  Created:   ${new Date().toISOString()}\n  Info:      \n\n\nTerraform acquires a state lock to protect the state from being written\nby multiple users at the same time. Please resolve the issue above and try\nagain. For most commands, you can disable locking with the "-lock=false"\nflag, but this is not recommended.`);
  }
  if (control().holdLockMs) await sleep(control().holdLockMs);
  if (control().noise) process.stdout.write('\x1b[0m\x1b[1mprovider: stray stdout line that is not JSON\x1b[0m\n');
  const modules = JSON.parse(readFileSync(path.join(dotTerraform, 'emulator-modules.json'), 'utf8'));
  if (command === 'plan') {
    const want = desired(cwd, modules, vars);
    if (want.error) return fail(want.error[0], want.error[1], want.error[2] ?? {});
    return plan(sql, { cwd, workspace, want }, { out: flags.out, destroy: !!flags.destroy, refreshOnly: !!flags['refresh-only'], detailedExitcode: !!flags['detailed-exitcode'] });
  }
  return apply(sql, { cwd, workspace }, positional[0], () => interrupts > 0);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`emulator crashed: ${e.stack ?? e}\n`);
    process.exit(1);
  },
);
