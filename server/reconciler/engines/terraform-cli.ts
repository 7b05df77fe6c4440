/**
 * Runs one terraform/tofu command: streams stdout line by line (JSON UI or plain text), collects diagnostics,
 * and cancels the way Terraform expects — SIGINT first so it can stop cleanly, save state and release its lock,
 * then SIGKILL if it has not exited after a grace period.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { parseUiLine, type Diagnostic, type UiLine } from './terraform-json';

export type RunOptions = {
  cwd: string;
  env: Record<string, string | undefined>;
  /** Aborting sends SIGINT, then SIGKILL after `graceMs`. */
  signal?: AbortSignal;
  graceMs?: number;
  onLine?: (line: UiLine) => void;
};

export type RunResult = {
  code: number | null;
  signal: NodeJS.Signals | null;
  diagnostics: Diagnostic[];
  /** Plain (non-JSON) stdout text and stderr, for commands without -json and for crashes. */
  text: string;
  stdout: string;
  cancelled: boolean;
};

/** Thrown when the binary cannot be started at all (missing, not executable). */
export class SpawnError extends Error {
  override name = 'SpawnError';
}

export function runTerraform(bin: string, args: string[], o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Its own process group: a Ctrl-C in the worker's terminal must not reach terraform directly, or our own
    // forwarded SIGINT would be its second interrupt ("Exiting immediately", state possibly not saved).
    const child = spawn(bin, args, { cwd: o.cwd, env: o.env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const diagnostics: Diagnostic[] = [];
    let stdout = '';
    let text = '';
    let cancelled = false;
    let killTimer: NodeJS.Timeout | undefined;

    const onAbort = () => {
      if (cancelled || child.exitCode !== null) return;
      cancelled = true;
      child.kill('SIGINT');
      killTimer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, o.graceMs ?? 30_000);
    };
    if (o.signal?.aborted) queueMicrotask(onAbort);
    else o.signal?.addEventListener('abort', onAbort, { once: true });

    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    lines.on('line', (raw) => {
      stdout += `${raw}\n`;
      let line: UiLine | null;
      try {
        line = parseUiLine(raw);
      } catch (e) {
        // An unsupported UI version: stop the command, report why.
        diagnostics.push({ severity: 'error', summary: (e as Error).message, detail: '' });
        child.kill('SIGINT');
        return;
      }
      if (!line) return;
      if (line.kind === 'diagnostic') diagnostics.push(line.diagnostic);
      if (line.kind === 'log' && !raw.trimStart().startsWith('{')) text += `${line.message}\n`;
      o.onLine?.(line);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      text += chunk;
    });

    child.once('error', (error: NodeJS.ErrnoException) => {
      o.signal?.removeEventListener('abort', onAbort);
      reject(new SpawnError(error.code === 'ENOENT' ? `${bin} was not found` : `${bin} could not be started: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({ code, signal, diagnostics, text: text.trim(), stdout, cancelled });
    });
  });
}
