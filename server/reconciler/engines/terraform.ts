/**
 * The Terraform/OpenTofu infrastructure engine. One working directory per deployment holds a generated
 * `main.tf.json`; state lives in Postgres (pg backend, one workspace per deployment), so any worker on any host
 * can pick a deployment up. apply = plan -out + apply <plan> + output -json; destroy = a destroy plan, applied,
 * then the empty workspace is deleted; plan() = a refresh-only plan whose exit code 2 means drift.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runTerraform, type RunResult } from './terraform-cli';
import { childEnv } from './child-env';
import { declaredOptionalOutputs, initKey, LOCK_FILE, MODULES, rootConfig, workspaceFor } from './terraform-config';
import { diagnosticsError, isLockError, progressMessage, textDiagnostics, type UiLine } from './terraform-json';
import { moduleProviders } from './terraform-providers';
import { readOutputs } from './terraform-outputs';
import { describeShownPlan } from './terraform-drift';
import { TerminalError, TransientError, type EngineDeployment, type InfraEngine, type Progress } from './types';

export type TerraformOptions = {
  bin: string;
  /** Parent of the per-deployment working directories. */
  workDir: string;
  modulesDir: string;
  /** The pg backend's connection string; handed to terraform as PG_CONN_STR, never written to disk. */
  pgConnStr: string;
  /** Extra environment for terraform (tests point the emulator at its control files, or a CLI config at a mirror). */
  env?: Record<string, string>;
  /** `-lock-timeout` of every locking command: terraform itself waits this long for a state lock. */
  lockTimeoutS?: number;
  /** How long one engine call keeps waiting for a lock, across commands, before it gives up (retryable). */
  lockWaitMs?: number;
  /** A command running longer is interrupted (SIGINT to its process group). */
  timeoutMs?: number;
  /** After an interrupt, how long terraform may take to stop cleanly before it is killed (SIGKILL). */
  graceMs?: number;
};

export type TerraformEngine = InfraEngine & { cancelAll(reason: string): void };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A module's .tf files, concatenated (to find the optional outputs it declares). */
const moduleText = async (dir: string) =>
  (await Promise.all((await readdir(dir)).filter((f) => f.endsWith('.tf')).map((f) => readFile(path.join(dir, f), 'utf8')))).join('\n');
const DAY = 86_400_000;

export function createTerraformEngine(o: TerraformOptions): TerraformEngine {
  const running = new Map<AbortController, string>();
  let initQueue: Promise<unknown> = Promise.resolve();
  const lockTimeout = `-lock-timeout=${o.lockTimeoutS ?? 300}s`;
  const password = (() => {
    try {
      return decodeURIComponent(new URL(o.pgConnStr).password);
    } catch {
      return '';
    }
  })();
  const redact = (s: string) => {
    let out = s.split(o.pgConnStr).join('[PG_CONN_STR]');
    if (password) out = out.split(password).join('[redacted]');
    return out;
  };

  const pluginCache = process.env.TF_PLUGIN_CACHE_DIR ?? path.join(o.workDir, '.plugin-cache');
  // The allowlisted environment (child-env.ts), plus what terraform needs from Plinth.
  const baseEnv = childEnv({ TF_IN_AUTOMATION: '1', TF_INPUT: '0', CHECKPOINT_DISABLE: '1', TF_PLUGIN_CACHE_DIR: pluginCache, ...o.env, PG_CONN_STR: o.pgConnStr });

  function accountRefOf(d: EngineDeployment): string | null {
    if (d.tier !== 'byoc') return null;
    if (!d.cloudAccountRef) {
      throw new TerminalError('This organization has no cloud account for BYOC: set its cloud account reference (the role ARN Plinth may assume) and retry.');
    }
    return d.cloudAccountRef;
  }

  type TfOptions = { progress?: Progress; ok?: number[]; workspace?: string; signal?: AbortSignal; watch?: (line: UiLine) => void; keepStdout?: boolean };
  /**
   * Runs one command. A state lock held by another run (a dead worker's terraform finishing its apply) is waited
   * for: terraform waits `-lock-timeout` itself, and the engine runs the command again until `lockWaitMs` — a
   * wait, not a failed attempt. Returns when the exit code is one of `ok`.
   */
  async function tf(d: EngineDeployment | null, dir: string, args: string[], { progress, ok = [0], workspace, signal, watch, keepStdout }: TfOptions = {}): Promise<RunResult> {
    const selected = workspace ?? (d ? workspaceFor(d) : undefined);
    const env = selected ? { ...baseEnv, TF_WORKSPACE: selected } : baseEnv;
    const waitUntil = Date.now() + (o.lockWaitMs ?? o.timeoutMs ?? 3_600_000);
    for (let attempt = 0; ; attempt++) {
      let events = Promise.resolve();
      const onLine = (line: UiLine) => {
        watch?.(line);
        const message = progressMessage(line);
        if (message && progress) events = events.then(() => progress(redact(message)));
      };
      const controller = new AbortController();
      // The caller's signal (the worker lost its lease, or is stopping) interrupts the command cleanly.
      if (signal?.aborted) controller.abort(signal.reason);
      const forward = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', forward, { once: true });
      running.set(controller, `terraform ${args[0]}`);
      const timer = setTimeout(() => controller.abort(new Error('timed out')), Math.min(o.timeoutMs ?? 3_600_000, DAY));
      let result: RunResult;
      try {
        result = await runTerraform(o.bin, args, { cwd: dir, env, signal: controller.signal, graceMs: o.graceMs, onLine, keepStdout });
      } catch (e) {
        throw new TerminalError(`${(e as Error).message}: install Terraform or OpenTofu, or set TERRAFORM_BIN to its path.`);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', forward);
        running.delete(controller);
      }
      await events;
      if (result.killed) {
        throw new TerminalError(
          `terraform ${args[0]} did not stop within ${Math.round((o.graceMs ?? 0) / 1000)} s of an interrupt and was killed: its state may not record resources it created. Follow "After a hard kill" in docs/real-engines.md (find resources tagged plinth.dev/deployment=${d?.id ?? '?'}, import or delete them), then Retry.`,
        );
      }
      if (result.cancelled) {
        const why = controller.signal.reason instanceof Error ? controller.signal.reason.message : String(controller.signal.reason);
        throw new TransientError(`terraform ${args[0]} was interrupted (${why}); Terraform saves its state on interrupt, and the next attempt continues from it.`);
      }
      if (result.code !== null && ok.includes(result.code)) return result;
      const errors = result.diagnostics.filter((x) => x.severity === 'error');
      if (errors.length === 0) errors.push(...textDiagnostics(result.text));
      // Two first inits on a fresh state database race on the backend's CREATE … IF NOT EXISTS (a catalog
      // unique violation): the other one won, so running init again succeeds.
      if (args[0] === 'init' && attempt < 3 && errors.some((x) => /duplicate key value violates unique constraint "pg_/.test(x.summary))) {
        await sleep(200 * (attempt + 1));
        continue;
      }
      if (errors.some(isLockError) && Date.now() < waitUntil && !signal?.aborted) {
        await progress?.(`The state of ${workspaceFor(d ?? { id: '?' })} is locked by another terraform run (a previous attempt still finishing); waiting for it`);
        await sleep(Math.min(1000 * 2 ** attempt, 30_000, Math.max(0, waitUntil - Date.now())));
        continue;
      }
      const err = diagnosticsError(args[0]!, errors, result.text || `exit code ${result.code ?? result.signal}`);
      err.message = redact(err.message);
      throw err;
    }
  }

  /** Writes main.tf.json, and runs init + workspace creation when what init depends on has changed. */
  async function prepare(d: EngineDeployment, progress?: Progress, signal?: AbortSignal): Promise<string> {
    const dir = path.join(o.workDir, d.id);
    await mkdir(dir, { recursive: true });
    await mkdir(pluginCache, { recursive: true });
    const key = await initKey(o, d);
    const moduleDir = path.join(o.modulesDir, MODULES[d.tier].dir);
    const providers = await moduleProviders(moduleDir);
    const optionalOutputs = declaredOptionalOutputs(await moduleText(moduleDir));
    const config = `${JSON.stringify(rootConfig(d, { workDir: dir, modulesDir: o.modulesDir, accountRef: accountRefOf(d), providers, optionalOutputs }), null, 2)}\n`;
    const file = path.join(dir, 'main.tf.json');
    if (!existsSync(file) || (await readFile(file, 'utf8')) !== config) await writeFile(file, config);
    const marker = path.join(dir, '.terraform', 'plinth-init');
    if (existsSync(marker) && (await readFile(marker, 'utf8')) === key) return dir;
    await progress?.(`Initializing the Terraform working directory (workspace ${workspaceFor(d)})`);
    // The shipped lock file pins provider versions and carries their checksums, which is what lets init link
    // providers from the plugin cache instead of installing them again for every deployment.
    const lock = await readFile(path.join(o.modulesDir, LOCK_FILE), 'utf8').catch(() => null);
    if (lock !== null) await writeFile(path.join(dir, LOCK_FILE), lock);
    // The plugin cache is not safe for concurrent inits: one init at a time per process.
    const init = initQueue.then(() => tf(null, dir, ['init', '-input=false', '-no-color', lockTimeout], { signal }));
    initQueue = init.catch(() => {});
    await init;
    await tf(null, dir, ['workspace', 'select', '-or-create=true', '-no-color', workspaceFor(d)], { signal });
    await writeFile(marker, key);
    return dir;
  }

  /** plan -out, then apply the plan if it changes anything. Returns whether it applied. */
  async function planAndApply(d: EngineDeployment, dir: string, progress: Progress, destroy: boolean, signal?: AbortSignal): Promise<boolean> {
    const planFile = `plinth-${process.pid}-${randomBytes(4).toString('hex')}.tfplan`;
    let changes = false;
    const watch = (line: UiLine) => {
      if (line.kind === 'summary' && line.add + line.change + line.remove > 0) changes = true;
      if (line.kind === 'outputs' && line.changed) changes = true;
    };
    try {
      await tf(d, dir, ['plan', '-input=false', '-json', lockTimeout, ...(destroy ? ['-destroy'] : []), `-out=${planFile}`], { progress, signal, watch });
      if (!changes) return false;
      await tf(d, dir, ['apply', '-input=false', '-json', lockTimeout, planFile], { progress, signal });
      return true;
    } finally {
      await rm(path.join(dir, planFile), { force: true });
    }
  }

  async function reinitOnce<T>(d: EngineDeployment, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      // A working directory initialised by an older module layout: init again once, then give up loudly.
      if (!/Backend initialization required|Module not installed|Module source has changed/.test((e as Error).message)) throw e;
      await rm(path.join(o.workDir, d.id, '.terraform', 'plinth-init'), { force: true });
      return work();
    }
  }

  return {
    name: 'terraform',
    cancelAll(reason) {
      for (const controller of running.keys()) controller.abort(new Error(reason));
    },
    /** Converges the deployment's infrastructure to its spec; a plan without changes applies nothing. */
    async apply(d, progress, signal) {
      return reinitOnce(d, async () => {
        const dir = await prepare(d, progress, signal);
        const applied = await planAndApply(d, dir, progress, false, signal);
        if (!applied) await progress('No changes: the infrastructure already matches the spec');
        const out = await tf(d, dir, ['output', '-json', '-no-color'], { signal, keepStdout: true });
        return readOutputs(out.stdout, MODULES[d.tier].dir);
      });
    },
    /**
     * Drift check, no side effects: a refresh-only plan (exit code 2: something changed outside Terraform), then a
     * normal plan (exit code 2: edited or tainted state, a resource lost from state). Each plan is shown as JSON
     * for a readable summary: resource, attribute, applied → found.
     */
    async plan(d, signal) {
      return reinitOnce(d, async () => {
        const dir = await prepare(d, undefined, signal);
        const lines: string[] = [];
        const fromUi: string[] = [];
        let drift = false;
        for (const mode of [['-refresh-only'], []]) {
          const planFile = `plinth-drift-${process.pid}-${randomBytes(4).toString('hex')}.tfplan`;
          const watch = (l: UiLine) => void (l.kind === 'drift' && fromUi.push(l.message));
          try {
            const r = await tf(d, dir, ['plan', ...mode, '-detailed-exitcode', '-input=false', '-json', lockTimeout, `-out=${planFile}`], { ok: [0, 2], signal, watch });
            if (r.code !== 2) continue;
            const shown = await tf(d, dir, ['show', '-json', '-no-color', planFile], { signal, keepStdout: true });
            const found = describeShownPlan(shown.stdout);
            // A normal plan whose only change is an output is not drift of anything that exists.
            if (mode.length > 0 || found.length > 0) drift = true;
            lines.push(...found);
          } finally {
            await rm(path.join(dir, planFile), { force: true });
          }
        }
        return { drift, summary: drift ? [...new Set(lines.length > 0 ? lines : fromUi)].join('; ') || 'resources changed outside Terraform' : 'no changes' };
      });
    },
    /** Destroys everything in the deployment's workspace, deletes the empty workspace and the working directory. */
    async destroy(d, progress, signal) {
      await reinitOnce(d, async () => {
        const dir = await prepare(d, progress, signal);
        await planAndApply(d, dir, progress, true, signal);
        // Leave nothing behind: the workspace row in Postgres and the directory. `workspace delete` refuses a
        // workspace that still holds resources, which is the safety net we want; it also refuses the selected
        // one, hence TF_WORKSPACE=default for this command.
        await tf(null, dir, ['workspace', 'delete', '-no-color', lockTimeout, workspaceFor(d)], { workspace: 'default', signal });
        await rm(dir, { recursive: true, force: true });
      });
    },
  };
}
