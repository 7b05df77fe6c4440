/**
 * Runs one terraform/tofu command: streams stdout line by line (JSON UI or plain text), collects diagnostics,
 * and cancels the way Terraform expects — SIGINT to its whole process group (terraform and its provider
 * plugins), then as long as it takes: terraform finishes the resources in flight, saves state and releases its
 * lock. Only after `graceMs` (long, configurable) does it get SIGKILL, and that is reported as a hard kill: state
 * may then miss resources that exist (docs/real-engines.md, "After a hard kill").
 *
 * terraform writes to files in the working directory, not to pipes: when the worker dies (OOM, SIGKILL, a lost
 * host process), a pipe would close and terraform would die of SIGPIPE at its next line of output — mid-apply,
 * before it saved state. With files it finishes its apply, saves state and releases the lock, which the next
 * worker waits for (-lock-timeout). The worker reads the files as they grow.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
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

/** Reads what has been appended to a file since the last call. */
function follower(file: string) {
  const fd = openSync(file, 'r');
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.alloc(64 * 1024);
  let position = 0;
  return {
    read(): string {
      let out = '';
      for (;;) {
        const n = readSync(fd, buffer, 0, buffer.length, position);
        if (n === 0) return out;
        position += n;
        out += decoder.write(buffer.subarray(0, n));
      }
    },
    /** The last `max` bytes, for stderr, which is only read at the end. */
    tail(max: number): string {
      const size = fstatSync(fd).size;
      const start = Math.max(0, size - max);
      const b = Buffer.alloc(size - start);
      readSync(fd, b, 0, b.length, start);
      return b.toString('utf8');
    },
    close: () => closeSync(fd),
  };
}

/** Output files a dead worker left behind (its terraform finished long ago): removed after a day. */
function sweep(runs: string) {
  const old = Date.now() - 86_400_000;
  for (const f of readdirSync(runs)) {
    try {
      if (statSync(path.join(runs, f)).mtimeMs < old) rmSync(path.join(runs, f), { force: true });
    } catch {
      // Removed by someone else meanwhile.
    }
  }
}

export function runTerraform(bin: string, args: string[], o: RunOptions): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    // Its own process group: a Ctrl-C in the worker's terminal must not reach terraform directly (our forwarded
    // SIGINT would be its second interrupt, "Exiting immediately"), and a cancel reaches its providers too.
    const runs = path.join(o.cwd, '.plinth-runs');
    mkdirSync(runs, { recursive: true });
    sweep(runs);
    const base = path.join(runs, `${process.pid}-${randomBytes(4).toString('hex')}`);
    const outFd = openSync(`${base}.out`, 'w');
    const errFd = openSync(`${base}.err`, 'w');
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(bin, args, { cwd: o.cwd, env: o.env, stdio: ['ignore', outFd, errFd], detached: true });
    } finally {
      closeSync(outFd);
      closeSync(errFd);
    }
    const out = follower(`${base}.out`);
    const err = follower(`${base}.err`);
    const diagnostics: Diagnostic[] = [];
    let stdout = '';
    let text = '';
    let partial = '';
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

    const onRaw = (raw: string) => {
      if (o.keepStdout && stdout.length < LIMITS.stdout) stdout += `${raw}\n`;
      let line: UiLine | null;
      try {
        line = parseUiLine(raw);
      } catch (e) {
        // An unsupported UI version: stop the command, report why.
        if (diagnostics.length < LIMITS.diagnostics) diagnostics.push({ severity: 'error', summary: (e as Error).message, detail: '' });
        group('SIGINT');
        return;
      }
      if (!line) return;
      if (line.kind === 'diagnostic' && diagnostics.length < LIMITS.diagnostics) diagnostics.push(line.diagnostic);
      if (line.kind === 'log' && !raw.trimStart().startsWith('{')) text = tail(`${text}${line.message}\n`, LIMITS.text);
      o.onLine?.(line);
    };
    const drain = (final = false) => {
      const lines = (partial + out.read()).split('\n');
      partial = lines.pop()!;
      if (final && partial) lines.push(partial);
      for (const raw of lines) onRaw(raw.replace(/\r$/, ''));
    };
    const poll = setInterval(drain, 50);
    // A child that could not start emits 'error' and then 'close': finish once.
    let stderrTail: string | null = null;
    const finish = () => {
      if (stderrTail !== null) return stderrTail;
      clearInterval(poll);
      clearTimeout(killTimer);
      o.signal?.removeEventListener('abort', onAbort);
      drain(true);
      const stderr = err.tail(LIMITS.text);
      out.close();
      err.close();
      rmSync(`${base}.out`, { force: true });
      rmSync(`${base}.err`, { force: true });
      stderrTail = stderr;
      return stderr;
    };

    child.once('error', (error: NodeJS.ErrnoException) => {
      finish();
      reject(new SpawnError(error.code === 'ENOENT' ? `${bin} was not found` : `${bin} could not be started: ${error.message}`));
    });
    child.once('close', (code, signal) => {
      const stderr = finish();
      resolve({ code, signal, diagnostics, text: tail(text + stderr, LIMITS.text).trim(), stdout, cancelled, killed });
    });
  });
}
