/**
 * How tests steer the emulator: JSON files in the directory named by TF_EMULATOR_CONTROL, `all.json` for every
 * workspace and `<workspace>.json` for one (it wins). Read on every invocation, so a test can change behaviour
 * between commands. Fields:
 *   tool: 'terraform' | 'tofu', version, ui       which binary to impersonate
 *   fail: [{ command, summary, detail, times? }]  fail the next matching command(s) with that diagnostic
 *   failRate, failCommands                       random transient failures (cloud API throttling)
 *   drift: true                                  a refresh-only plan finds a resource changed outside Terraform
 *   slowMs, progressEveryMs                      time per resource during apply, and apply_progress cadence
 *   holdLockMs                                   keep the state lock this long before working
 *   noise: true                                  print stray non-JSON lines among the JSON ones
 *   hangOnInterrupt: true                        ignore SIGINT (a provider stuck in a call), so only SIGKILL ends it
 *   persistMs                                    how often apply persists state mid-run (Terraform: 20 s)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.TF_EMULATOR_CONTROL;
const workspace = process.env.TF_WORKSPACE ?? '';

function read(name) {
  if (!dir) return {};
  const file = path.join(dir, `${name}.json`);
  if (!existsSync(file)) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return {};
  }
}

export function control() {
  return { ...read('all'), ...(workspace ? read(workspace) : {}) };
}

export function flavor() {
  const c = control();
  const tool = c.tool === 'tofu' ? 'tofu' : 'terraform';
  return { tool, version: c.version ?? (tool === 'tofu' ? '1.10.2' : '1.11.4'), ui: c.ui ?? (tool === 'tofu' ? '1.2' : '1.2') };
}

/** The first scripted failure for this command, consumed if it has a count. */
export function takeFailure(command) {
  for (const name of workspace ? [workspace, 'all'] : ['all']) {
    const c = read(name);
    const i = (c.fail ?? []).findIndex((f) => f.command === command && (f.times ?? 1) > 0);
    if (i < 0) continue;
    const f = c.fail[i];
    if (f.times !== undefined) {
      f.times -= 1;
      writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(c));
    }
    return f;
  }
  const c = control();
  if (c.failRate && (c.failCommands ?? ['apply']).includes(command) && Math.random() < c.failRate) {
    return { command, random: true, summary: 'creating Route53 Record: operation error Route 53: ChangeResourceRecordSets, exceeded maximum number of attempts, 25, ThrottlingException: Rate exceeded', detail: '' };
  }
  return null;
}
