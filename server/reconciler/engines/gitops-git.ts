/**
 * How the GitOps repository runs git: the sanitised child environment, a timeout on every call (the process is
 * killed: a hung fetch or push must not hold the worker's whole batch forever) and a bounded output buffer.
 */
import { execFile } from 'node:child_process';
import { childEnv } from './child-env';

export type GitResult = { code: number; stdout: string; stderr: string };

/** Default for GitOpsOptions.timeoutMs (PLINTH_GIT_TIMEOUT_S). */
export const GIT_TIMEOUT_MS = 120_000;
/** No git call Plinth makes prints more than a few lines; anything beyond this is cut off and fails the call. */
const MAX_OUTPUT = 4 * 1024 * 1024;

const env = () =>
  childEnv({ GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'Plinth', GIT_AUTHOR_EMAIL: 'plinth@localhost', GIT_COMMITTER_NAME: 'Plinth', GIT_COMMITTER_EMAIL: 'plinth@localhost' });

/**
 * Runs git; never throws. A timeout or an oversized output is a failure (code 124 / 125) with a message saying so.
 * `input` is written to git's standard input (fast-import, cat-file --batch).
 */
export function runGit(args: string[], cwd: string, timeoutMs: number, signal?: AbortSignal, input?: string): Promise<GitResult> {
  return new Promise((resolve) => {
    const child = execFile('git', args, { cwd, env: env(), maxBuffer: MAX_OUTPUT, timeout: timeoutMs, killSignal: 'SIGKILL', ...(signal ? { signal } : {}) }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout: String(stdout), stderr: String(stderr) });
      const e = error as { code?: unknown; killed?: boolean; signal?: string | null };
      if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ code: 125, stdout: '', stderr: `git ${args[0]} printed more than ${MAX_OUTPUT} bytes` });
      if (e.killed && !signal?.aborted) return resolve({ code: 124, stdout: String(stdout), stderr: `git ${args[0]} timed out after ${timeoutMs / 1000} s (PLINTH_GIT_TIMEOUT_S) and was killed` });
      resolve({ code: typeof e.code === 'number' ? e.code : 127, stdout: String(stdout), stderr: String(stderr) });
    });
    // A git that exits before reading all its input closes the pipe: that is its exit code's business, not an error here.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input ?? '');
  });
}
