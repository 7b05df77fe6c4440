/**
 * runTerraform with stand-in binaries (shell scripts): what it keeps in memory is bounded whatever a provider
 * prints; a cancel interrupts the whole process group (terraform and the plugins it started) and waits for a
 * clean exit; SIGKILL comes only after the grace period, and is reported as such.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv } from './child-env';
import { LIMITS, runTerraform } from './terraform-cli';

const dir = mkdtempSync(path.join(tmpdir(), 'plinth-cli-'));
const script = (name: string, body: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
};
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('runTerraform', () => {
  it('keeps bounded output: the tail of the text, a capped number of diagnostics, no stdout unless asked', async () => {
    const diag = '{"type":"diagnostic","@message":"Error: x","diagnostic":{"severity":"error","summary":"boom","detail":""}}';
    const noisy = script('noisy', `i=0; while [ $i -lt 200 ]; do echo '${diag}'; i=$((i+1)); done
yes 'provider says something long and boring' | head -n 20000
yes 'stderr noise' | head -n 20000 >&2
echo 'Error: the last line' >&2
exit 1`);
    const r = await runTerraform(noisy, [], { cwd: dir, env: childEnv() });
    expect(r.code).toBe(1);
    expect(r.diagnostics).toHaveLength(LIMITS.diagnostics);
    expect(r.text.length).toBeLessThanOrEqual(LIMITS.text);
    expect(r.text.endsWith('Error: the last line')).toBe(true);
    expect(r.stdout).toBe('');
    const kept = await runTerraform(script('json', 'echo \'{"a": 1}\''), [], { cwd: dir, env: childEnv(), keepStdout: true });
    expect(kept.stdout).toBe('{"a": 1}\n');
  });

  it('interrupts the whole process group and waits for a clean exit, however long it takes within the grace', async () => {
    const pidFile = path.join(dir, 'plugin.pid');
    // "terraform" starts a "plugin" in its own process group, and takes 1.5 s to stop after SIGINT.
    // (A shell's background job ignores SIGINT; a plugin does not — python restores the default handler.)
    const tf = script('slow-stop', `python3 -c "import os, signal, time; signal.signal(signal.SIGINT, signal.SIG_DFL); open('${pidFile}', 'w').write(str(os.getpid())); time.sleep(60)" &
trap 'sleep 1.5; echo stopped cleanly; exit 1' INT
echo started
while true; do sleep 0.1; done`);
    const abort = new AbortController();
    const running = runTerraform(tf, [], { cwd: dir, env: childEnv(), signal: abort.signal, graceMs: 30_000 });
    // Wait until the plugin is up (its pid written after its SIGINT handler is in place).
    while (!existsSync(pidFile) || readFileSync(pidFile, 'utf8') === '') await new Promise((r) => setTimeout(r, 50));
    const plugin = Number(readFileSync(pidFile, 'utf8'));
    expect(alive(plugin)).toBe(true);
    abort.abort();
    const r = await running;
    expect(r).toMatchObject({ cancelled: true, killed: false, code: 1 });
    expect(r.text).toContain('stopped cleanly');
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(plugin)).toBe(false); // the plugin got the SIGINT too
  });

  it('sends SIGKILL only after the grace period, and says so', async () => {
    const stubborn = script('stubborn', `trap '' INT
while true; do sleep 0.1; done`);
    const abort = new AbortController();
    const running = runTerraform(stubborn, [], { cwd: dir, env: childEnv(), signal: abort.signal, graceMs: 300 });
    await new Promise((r) => setTimeout(r, 200));
    abort.abort();
    expect(await running).toMatchObject({ cancelled: true, killed: true, signal: 'SIGKILL' });
  });
});
