/**
 * The GitOps repository the Argo CD engine writes: one folder per deployment under `tenants/`, which the
 * ApplicationSet's git generator turns into Applications. Any git URL works (the system `git` does the talking,
 * with whatever credentials it is configured with); the default is a local bare repository, created if missing.
 *
 * Every change is fetch → reset to the remote → edit → commit → push, retried when another writer pushed first,
 * so several worker processes can share one repository. Within a process, changes are serialised.
 *
 * A folder carries the generation it was written for (`generation` in its config.json): a write for an older
 * generation never replaces it, so a worker that stalled and lost its lease cannot roll a deployment back. An
 * aborted signal abandons the change before the push (and interrupts a push under way).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { childEnv } from './child-env';
import { TransientError } from './types';

export type GitOpsOptions = {
  repoUrl: string;
  branch: string;
  /** Where this process keeps its clone. */
  workDir: string;
  /** Files every Application reads besides its own folder, e.g. the chart's base values. */
  shared?: Record<string, string>;
};

export type GitOps = ReturnType<typeof createGitOps>;

export const TENANTS = 'tenants';
export const folderOf = (id: string) => `${TENANTS}/${id}`;
/** The file in a deployment's folder whose `generation` field says which generation the folder holds. */
export const GENERATION_FILE = 'config.json';

type GitResult = { code: number; stdout: string; stderr: string };

/** Hides credentials embedded in a URL (https://user:token@host/...) from messages and the console. */
export const redactUrl = (url: string) => url.replace(/\/\/[^/@]*@/, '//***@');
const isLocalPath = (url: string) => url.startsWith('/') || url.startsWith('file://');

export function createGitOps(o: GitOpsOptions) {
  const clone = path.join(o.workDir, `clone-${process.pid}`);
  let queue: Promise<unknown> = Promise.resolve();
  const lastCommit = new Map<string, string>();
  const ancestry = new Map<string, boolean>();

  const git = (args: string[], cwd = clone, signal?: AbortSignal): Promise<GitResult> =>
    new Promise((resolve) => {
      const env = childEnv({ GIT_TERMINAL_PROMPT: '0', GIT_AUTHOR_NAME: 'Plinth', GIT_AUTHOR_EMAIL: 'plinth@localhost', GIT_COMMITTER_NAME: 'Plinth', GIT_COMMITTER_EMAIL: 'plinth@localhost' });
      execFile('git', args, { cwd, env, maxBuffer: 16 * 1024 * 1024, ...(signal ? { signal } : {}) }, (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? (error as { code: number }).code : 127) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  const must = async (args: string[], cwd?: string) => {
    const r = await git(args, cwd);
    if (r.code !== 0) throw new TransientError(`git ${args[0]} failed for ${redactUrl(o.repoUrl)}: ${redactUrl(r.stderr.trim() || `exit ${r.code}`)}`);
    return r.stdout.trim();
  };
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = queue.then(work);
    queue = run.catch(() => {});
    return run;
  };

  /** Creates the default local bare repository; removes clones left by processes that are gone. */
  async function ensureRepo() {
    const local = o.repoUrl.replace(/^file:\/\//, '');
    if (isLocalPath(o.repoUrl) && !existsSync(local)) {
      await mkdir(path.dirname(local), { recursive: true });
      await must(['init', '-q', '--bare', `--initial-branch=${o.branch}`, local], path.dirname(local));
    }
    await mkdir(o.workDir, { recursive: true });
    for (const name of await readdir(o.workDir)) {
      const pid = Number(/^clone-(\d+)$/.exec(name)?.[1]);
      if (!pid || pid === process.pid) continue;
      try {
        process.kill(pid, 0);
      } catch {
        await rm(path.join(o.workDir, name), { recursive: true, force: true });
      }
    }
  }

  /** Makes the clone exactly the remote branch (or an empty branch when the repository has none yet). */
  async function reset() {
    if (!existsSync(path.join(clone, '.git'))) {
      await ensureRepo();
      await mkdir(clone, { recursive: true });
      await must(['init', '-q', `--initial-branch=${o.branch}`], clone);
      await must(['remote', 'add', 'origin', o.repoUrl]);
    }
    await must(['fetch', '-q', '--prune', 'origin']);
    const remote = `refs/remotes/origin/${o.branch}`;
    if ((await git(['rev-parse', '-q', '--verify', remote])).code === 0) {
      await must(['checkout', '-q', '-B', o.branch, remote]);
      await must(['reset', '-q', '--hard', remote]);
      await must(['clean', '-q', '-fdx']);
      return;
    }
    // An empty repository: start from nothing (drop any commit a failed push left behind).
    await rm(clone, { recursive: true, force: true });
    await mkdir(clone, { recursive: true });
    await must(['init', '-q', `--initial-branch=${o.branch}`], clone);
    await must(['remote', 'add', 'origin', o.repoUrl]);
  }

  /** The generation the folder on the branch was written for (0 when there is none). */
  async function generationIn(id: string): Promise<number> {
    try {
      const config = JSON.parse(await readFile(path.join(clone, folderOf(id), GENERATION_FILE), 'utf8')) as { generation?: unknown };
      return Number(config.generation) || 0;
    } catch {
      return 0;
    }
  }

  type ChangeOptions = { generation?: number; signal?: AbortSignal };
  type ChangeResult = { commit: string | null; changed: boolean; newer?: number };

  /**
   * Applies `edit` to a fresh checkout and pushes it; returns the commit that holds the result. With a
   * generation, a folder already written for a newer one is left alone (`newer` says which).
   */
  function change(id: string, message: string, edit: () => Promise<void>, o2: ChangeOptions = {}): Promise<ChangeResult> {
    const { signal } = o2;
    return serial(async () => {
      for (let attempt = 1; ; attempt++) {
        signal?.throwIfAborted();
        await reset();
        if (o2.generation !== undefined) {
          const there = await generationIn(id);
          if (there > o2.generation) return { commit: null, changed: false, newer: there };
        }
        await edit();
        for (const [file, content] of Object.entries(o.shared ?? {})) {
          await mkdir(path.dirname(path.join(clone, file)), { recursive: true });
          await writeFile(path.join(clone, file), content);
        }
        await must(['add', '-A', '.']);
        if ((await git(['diff', '--cached', '--quiet'])).code === 0) {
          // Already there, maybe written by another process: remember the commit that did it.
          const commit = (await git(['log', '-1', '--format=%H', 'HEAD', '--', folderOf(id)])).stdout.trim() || null;
          if (commit) lastCommit.set(id, commit);
          return { commit, changed: false };
        }
        await must(['commit', '-q', '-m', message]);
        // Abandoned here when this worker may no longer act; the next reset drops the local commit.
        signal?.throwIfAborted();
        const pushed = await git(['push', '-q', 'origin', `HEAD:refs/heads/${o.branch}`], clone, signal);
        signal?.throwIfAborted();
        if (pushed.code === 0) {
          const commit = await must(['rev-parse', 'HEAD']);
          lastCommit.set(id, commit);
          return { commit, changed: true };
        }
        // Someone else pushed first: start again from their commit.
        if (attempt >= 5) throw new TransientError(`git push to ${redactUrl(o.repoUrl)} kept being rejected: ${redactUrl(pushed.stderr.trim())}`);
      }
    });
  }

  return {
    ensureRepo: () => serial(ensureRepo),
    /**
     * Writes the deployment's folder (only these files); a no-op when they are already there, or when the folder
     * holds a newer generation than `o.generation`.
     */
    write(id: string, files: Record<string, string>, message: string, opts: ChangeOptions = {}) {
      return change(
        id,
        message,
        async () => {
          const dir = path.join(clone, folderOf(id));
          await rm(dir, { recursive: true, force: true });
          await mkdir(dir, { recursive: true });
          for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
        },
        opts,
      );
    },
    /** Removes the deployment's folder; a no-op when it is already gone. */
    remove(id: string, message: string, opts: { signal?: AbortSignal } = {}) {
      return change(id, message, () => rm(path.join(clone, folderOf(id)), { recursive: true, force: true }), opts);
    },
    /** The newest commit on the branch that changed the deployment's folder (what Argo CD must have seen). */
    lastCommitFor(id: string): Promise<string | null> {
      const known = lastCommit.get(id);
      if (known) return Promise.resolve(known);
      return serial(async () => {
        await reset();
        const commit = (await git(['log', '-1', '--format=%H', 'HEAD', '--', folderOf(id)])).stdout.trim() || null;
        if (commit) lastCommit.set(id, commit);
        return commit;
      });
    },
    /** Whether `revision` (what Argo CD compared against) includes `commit`. */
    contains(commit: string, revision: string): Promise<boolean> {
      if (commit === revision) return Promise.resolve(true);
      // Ancestry of two commits never changes: status polls ask the same question often, git answers once.
      const key = `${commit}..${revision}`;
      const known = ancestry.get(key);
      if (known !== undefined) return Promise.resolve(known);
      return serial(async () => {
        let r = await git(['merge-base', '--is-ancestor', commit, revision]);
        if (r.code > 1) {
          await git(['fetch', '-q', 'origin']); // a revision newer than our last fetch
          r = await git(['merge-base', '--is-ancestor', commit, revision]);
        }
        if (r.code <= 1) {
          if (ancestry.size > 10_000) ancestry.clear();
          ancestry.set(key, r.code === 0);
        }
        return r.code === 0;
      });
    },
    /**
     * When a commit was made (ms since the epoch), from git itself: a clock that survives a restart or a lease
     * hand-off, unlike one kept in a worker's memory.
     */
    commitTime(commit: string): Promise<number | null> {
      return serial(async () => {
        const r = await git(['show', '-s', '--format=%ct', commit]);
        const seconds = Number(r.stdout.trim());
        return r.code === 0 && seconds > 0 ? seconds * 1000 : null;
      });
    },
    /** Reachability check for start-up: lists the remote's refs. */
    async check(): Promise<string | null> {
      await ensureRepo();
      const r = await git(['ls-remote', '--heads', o.repoUrl], o.workDir);
      return r.code === 0 ? null : redactUrl(r.stderr.trim() || `git ls-remote exited with ${r.code}`);
    },
  };
}
