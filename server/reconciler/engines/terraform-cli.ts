/**
 * Runs one terraform/tofu command: streams stdout line by line (JSON UI or plain text), collects diagnostics,
 * and cancels the way Terraform expects — SIGINT to its whole process group (terraform and its provider
 * plugins), then as long as it takes: terraform finishes the resources in flight, saves state and releases its
 * lock. Only after `graceMs` (long, configurable) does it get SIGKILL, and that is reported as a hard kill: state
 * may then miss resources that exist (docs/real-engines.md, "After a hard kill").
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseUiLine, type Diagnostic, type UiLine } from './terraform-json';

export type RunOptions = {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborting sends SIGINT to the process group, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  graceMs?: number;
  onLine?: (line: UiLine) => void;
  /** Keep stdout (for `output -json`); other commands are read line by line through onLine only. */
  keepStdout?: boolean;
};

export type RunResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  diagnostics: Diagnostic[];
  /** Plain (non-JSON) stdout text and stderr, the last TEXT_LIMIT characters: errors come at the end. */
  text: string;
  stdout: string;
  cancelled: boolean;
  /** The grace period ran out and the process group was killed: state may be missing resources. */
  killed: boolean;
};

/** Bounds on what one run keeps in memory, whatever a provider prints. */
export const LIMITS = { stdout: 8 * 1024 * 1024, text: 64 * 1024, diagnostics: 50 };

/** Thrown when the binary cannot be started at all (missing, not executable). */
export class SpawnError extends Error {
  override name = 'SpawnError';
}

const tail = (s: string, max: number) => (s.length > max ? s.slice(s.length - max) : s);

export function runTerraform(bin: string, args: string[], o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Its own process group: a Ctrl-C in the worker's terminal must not reach terraform directly (our forwarded
    // SIGINT would be its second interrupt, "Exiting immediately"), and a cancel reaches its providers too.
    const child = spawn(bin, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const diagnostics: Diagnostic[] = [];
    let stdout = '';
    let text = '';
    let cancelled = false;
    let killed = false;
    let killTimer: NodeJS.Timeout | undefined;
    const group = (sig: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, sig);
      } catch {
        // Already gone.
      }
    };

    const onAbort = () => {
      if (cancelled || child.exitCode !== null || child.pid === undefined) return;
      cancelled = true;
      group('SIGINT');
      killTimer = setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        killed = true;
        group('SIGKILL');
      }, o.graceMs ?? 30 * 60_000);
    };
    if (o.signal?.aborted) queueMicrotask(onAbort);
    else o.signal?.addEventListener('abort', onAbort, { once: true });

    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (raw) => {
      if (o.keepStdout && stdout.length < LIMITS.stdout) stdout += `${raw}\n`;
      let line: UiLine | null;
      try {
        line = parseUiLine(raw);
      } catch (e) {
        // An unsupported UI version: stop the command, report why.
        diagnostics.push({ severity: 'error', summary: (e as Error).message, detail: '' });
        group('SIGINT');
        return;
      }
      if (!line) return;
      if (line.kind === 'diagnostic' && diagnostics.length < LIMITS.diagnostics) diagnostics.push(line.diagnostic);
      if (line.kind === 'log' && !raw.trimStart().startsWith('{')) text = tail(`${text}${line.message}\n`, LIMITS.text);
      o.onLine?.(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      text = tail(text + chunk, LIMITS.text);
    });

    child.once('error', (error: NodeJS.ErrnoException) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(new SpawnError(error.code === 'ENOENT' ? `${bin} was not found` : `${bin} could not be started: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, diagnostics, text: text.trim(), stdout, cancelled, killed });
    });
  });
}
