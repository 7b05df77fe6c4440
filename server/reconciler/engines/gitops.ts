/**
 * The GitOps repository the Argo CD engine writes: one folder per deployment under `tenants/`, which the
 * ApplicationSet's git generator turns into Applications. Any git URL works (the system `git` does the talking,
 * with whatever credentials it is configured with); the default is a local bare repository, created if missing.
 *
 * Changes are batched: the write/remove calls a process makes while its previous commit is under way are applied
 * together — one fetch and reset to the remote, every pending folder edit, one commit naming them all, one push.
 * A rejected push (another writer pushed first) rebuilds the batch on the new head and retries with exponential
 * backoff and jitter. Every git call has a timeout. Each caller still gets its own result.
 *
 * A folder carries the generation it was written for (`generation` in its config.json): a write for an older
 * generation never replaces it, so a worker that stalled and lost its lease cannot roll a deployment back. An
 * aborted signal drops the caller's edit from the batch before the commit; once the push is under way the caller
 * is released at once with the abort reason (never a success it cannot vouch for) while the push goes on for the
 * others — the edit may land with it, which the generation rule makes harmless.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GIT_TIMEOUT_MS, runGit, type GitResult } from './gitops-git';
import { TransientError } from './types';

export type GitOpsOptions = {
  repoUrl: string;
  branch: string;
  /** Where this process keeps its clone. */
  workDir: string;
  /** Files every Application reads besides its own folder, e.g. the chart's base values. */
  shared?: Record<string, string>;
  /** Longest one git call may take before it is killed (default 120 s). */
  timeoutMs?: number;
  /** Push attempts per batch before its callers get an error (default 30, about 2 minutes of backoff). */
  pushAttempts?: number;
  /**
   * lastCommitFor reads the remote again unless it was read this recently (default 1 s): tight status polls share
   * a fetch, and a lease hand-off takes far longer than this, so another worker's write is never missed for long.
   */
  freshMs?: number;
};

export type GitOps = ReturnType<typeof createGitOps>;

export const TENANTS = 'tenants';
export const folderOf = (id: string) => `${TENANTS}/${id}`;
/** The file in a deployment's folder whose `generation` field says which generation the folder holds. */
export const GENERATION_FILE = 'config.json';

/** Hides credentials embedded in a URL (https://user:token@host/...) from messages and the console. */
export const redactUrl = (url: string) => url.replace(/\/\/[^/@]*@/, '//***@');
const isLocalPath = (url: string) => url.startsWith('/') || url.startsWith('file://');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Full jitter over an exponential ceiling (100 ms, 200 ms, ... at most 5 s): writers that collided spread out. */
const backoff = (attempt: number) => Math.random() * Math.min(5000, 50 * 2 ** attempt);

type ChangeOptions = { generation?: number; signal?: AbortSignal };
type ChangeResult = { commit: string | null; changed: boolean; newer?: number };
type Pending = {
  id: string;
  message: string;
  generation?: number;
  signal?: AbortSignal;
  /** Makes the folder what the caller wants (in the clone). */
  edit: (dir: string) => Promise<void>;
  resolve: (r: ChangeResult) => void;
  reject: (e: unknown) => void;
};

export function createGitOps(o: GitOpsOptions) {
  const clone = path.join(o.workDir, `clone-${process.pid}`);
  const timeoutMs = o.timeoutMs ?? GIT_TIMEOUT_MS;
  const pushAttempts = o.pushAttempts ?? 30;
  const freshMs = o.freshMs ?? 1000;
  let queue: Promise<unknown> = Promise.resolve();
  let pending: Pending[] = [];
  let flushQueued = false;
  let onBranch = false;
  let dirty = true;
  /** Bumped by every fetch: lets a caller know whether the remote was read since it asked. */
  let fetches = 0;
  /**
   * id → the newest commit that changed its folder as of fetch number `at`. Used as is until the next fetch;
   * after one, checked against the branch before use.
   */
  const lastCommit = new Map<string, { commit: string; at: number }>();
  const ancestry = new Map<string, boolean>();

  const git = (args: string[], cwd = clone, signal?: AbortSignal): Promise<GitResult> => runGit(args, cwd, timeoutMs, signal);
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
  const remoteRef = `refs/remotes/origin/${o.branch}`;
  let fetchedAt = 0;
  const fetch = async () => {
    const started = Date.now();
    await must(['fetch', '-q', '--prune', 'origin']);
    fetches++;
    fetchedAt = started;
  };
  const newestCommitFor = async (id: string, ref: string) => (await git(['log', '-1', '--format=%H', ref, '--', folderOf(id)])).stdout.trim() || null;
  const remember = (id: string, commit: string | null) => {
    if (lastCommit.size > 50_000) lastCommit.clear();
    if (commit) lastCommit.set(id, { commit, at: fetches });
  };

  /** Creates the default local bare repository; removes clones left by processes that are gone. */
  async function ensureRepo() {
    const local = o.repoUrl.replace(/^file:\/\//, '');
    if (isLocalPath(o.repoUrl) && !existsSync(local)) {
      // Created aside and renamed into place: writers starting together must not trip over a half-made repository.
      await mkdir(path.dirname(local), { recursive: true });
      const aside = `${local}.${process.pid}-${Math.random().toString(36).slice(2)}`;
      await must(['init', '-q', '--bare', `--initial-branch=${o.branch}`, aside], path.dirname(local));
      await rename(aside, local).catch(() => rm(aside, { recursive: true, force: true }));
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
    await fetch();
    // Usually the branch is there already and a hard reset is all it takes (one git call less per batch).
    if (onBranch && !dirty && (await git(['reset', '-q', '--hard', remoteRef])).code === 0) return;
    if ((await git(['rev-parse', '-q', '--verify', remoteRef])).code === 0) {
      // The checkout is needed once; after that a hard reset is enough, and only a dropped edit leaves strays.
      if (!onBranch) await must(['checkout', '-q', '-B', o.branch, remoteRef]);
      onBranch = true;
      await must(['reset', '-q', '--hard', remoteRef]);
      if (dirty) await must(['clean', '-q', '-fdx']);
      dirty = false;
      return;
    }
    onBranch = false;
    // An empty repository: start from nothing (drop any commit a failed push left behind).
    await rm(clone, { recursive: true, force: true });
    await mkdir(clone, { recursive: true });
    await must(['init', '-q', `--initial-branch=${o.branch}`], clone);
    await must(['remote', 'add', 'origin', o.repoUrl]);
  }

  /** The generation the folder in the clone was written for (0 when there is none). */
  async function generationIn(id: string): Promise<number> {
    try {
      const config = JSON.parse(await readFile(path.join(clone, folderOf(id), GENERATION_FILE), 'utf8')) as { generation?: unknown };
      return Number(config.generation) || 0;
    } catch {
      return 0;
    }
  }

  /** Queues one folder edit; the next batch picks it up. An abort releases the caller at once. */
  function change(id: string, message: string, edit: (dir: string) => Promise<void>, opts: ChangeOptions = {}): Promise<ChangeResult> {
    return new Promise<ChangeResult>((resolve, reject) => {
      const { signal, generation } = opts;
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      pending.push({ id, message, edit, resolve, reject, ...(generation !== undefined ? { generation } : {}), ...(signal ? { signal } : {}) });
      if (!flushQueued) {
        flushQueued = true;
        void serial(flush);
      }
    });
  }

  /** Commits and pushes every pending edit as one commit; retries on a new head until the push lands. */
  async function flush() {
    flushQueued = false;
    let batch = pending;
    pending = [];
    try {
      for (let attempt = 1; ; ) {
        // A retry takes in what was queued meanwhile: one commit for more, instead of more commits racing.
        batch = batch.concat(pending).filter((p) => !p.signal?.aborted);
        pending = [];
        if (batch.length === 0) return;
        await reset();
        const results = new Map<Pending, ChangeResult>();
        const applied: Pending[] = [];
        const touchedPaths = new Set<string>(Object.keys(o.shared ?? {}));
        // Folders are independent: edited in parallel, each folder's edits in the order they were asked for.
        const byFolder = new Map<string, Pending[]>();
        for (const p of batch) byFolder.set(p.id, [...(byFolder.get(p.id) ?? []), p]);
        await Promise.all(
          [...byFolder.values()].map(async (edits) => {
            for (const p of edits) {
              // Checked against the folder as the batch has it so far: a later edit in the batch sees an earlier one.
              const there = p.generation !== undefined ? await generationIn(p.id) : 0;
              if (p.generation !== undefined && there > p.generation) {
                results.set(p, { commit: null, changed: false, newer: there });
                continue;
              }
              const dir = path.join(clone, folderOf(p.id));
              if (existsSync(dir)) touchedPaths.add(folderOf(p.id));
              await p.edit(dir);
              if (existsSync(dir)) touchedPaths.add(folderOf(p.id));
              applied.push(p);
            }
          }),
        );
        for (const [file, content] of Object.entries(o.shared ?? {})) {
          await mkdir(path.dirname(path.join(clone, file)), { recursive: true });
          await writeFile(path.join(clone, file), content);
        }
        // A caller aborted while its edit was being applied: rebuild without it (not a push attempt).
        if (applied.some((p) => p.signal?.aborted)) {
          dirty = true;
          continue;
        }
        // Only the paths the batch touched: staging the whole tree costs more with every deployment.
        // (A path that is neither in the tree nor on disk would fail the add: a remove of a folder never written.)
        if (touchedPaths.size) await must(['add', '-A', '--', ...touchedPaths]);
        const staged = (await must(['diff', '--cached', '--name-only', '-z'])).split('\0').filter(Boolean);
        const changedIds = new Set(staged.map((f) => f.split('/')).filter((parts) => parts[0] === TENANTS).map((parts) => parts[1]!));
        const touched = applied.filter((p) => changedIds.has(p.id));
        let head: string | null = null;
        if (staged.length > 0) {
          const lines = touched.length ? [...new Set(touched.map((p) => p.message))] : ['shared files'];
          const subject = touched.length === 1 ? lines[0]! : `${changedIds.size} deployments`;
          await must(['commit', '-q', '-m', touched.length === 1 ? subject : `${subject}\n\n${lines.join('\n')}`]);
          if (applied.some((p) => p.signal?.aborted)) continue; // dropped before the push; the next reset drops the commit
          const pushed = await git(['push', '-q', 'origin', `HEAD:refs/heads/${o.branch}`]);
          if (pushed.code !== 0) {
            // Someone else pushed first (or the remote hiccuped): start again from their commit, after a while.
            if (attempt >= pushAttempts) throw new TransientError(`git push to ${redactUrl(o.repoUrl)} kept being rejected (${attempt} attempts): ${redactUrl(pushed.stderr.trim())}`);
            await sleep(backoff(attempt++));
            continue;
          }
          head = await must(['rev-parse', 'HEAD']);
        }
        for (const p of applied) {
          // Unchanged: already there, maybe written by another process; the commit that did it is what Argo CD needs.
          const commit = changedIds.has(p.id) ? head : await newestCommitFor(p.id, 'HEAD');
          remember(p.id, commit);
          results.set(p, { commit, changed: changedIds.has(p.id) });
        }
        for (const [p, r] of results) p.resolve(r);
        return;
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  return {
    ensureRepo: () => serial(ensureRepo),
    /**
     * Writes the deployment's folder (only these files); a no-op when they are already there, or when the folder
     * holds a newer generation than `opts.generation`.
     */
    write(id: string, files: Record<string, string>, message: string, opts: ChangeOptions = {}) {
      return change(
        id,
        message,
        async (dir) => {
          await rm(dir, { recursive: true, force: true });
          await mkdir(dir, { recursive: true });
          for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
        },
        opts,
      );
    },
    /** Removes the deployment's folder; a no-op when it is already gone. */
    remove(id: string, message: string, opts: { signal?: AbortSignal } = {}) {
      return change(id, message, (dir) => rm(dir, { recursive: true, force: true }), opts);
    },
    /**
     * The newest commit on the branch that changed the deployment's folder (what Argo CD must have seen), as the
     * remote has it now: another process may have written the folder since this one did (a lease hand-off), so
     * the remote is fetched — once for every caller waiting at the same time, and not again within `freshMs` —
     * and the cached commit is used only
     * while the folder on the branch is still what it was at that commit.
     */
    lastCommitFor(id: string): Promise<string | null> {
      const asked = fetches;
      const fresh = () => Date.now() - fetchedAt < freshMs;
      const cached = lastCommit.get(id);
      // Nothing read from the remote since it was cached, and read recently: the answer cannot have changed.
      if (cached && cached.at === fetches && fresh()) return Promise.resolve(cached.commit);
      return serial(async () => {
        if (fetches === asked && !fresh()) {
          if (!existsSync(path.join(clone, '.git'))) await reset();
          else await fetch();
        }
        const known = lastCommit.get(id);
        if (known && known.at === fetches) return known.commit;
        if ((await git(['rev-parse', '-q', '--verify', remoteRef])).code !== 0) return null;
        // Still current when the folder on the branch is what it was at that commit (nobody has changed it since).
        if (known && (await git(['diff-tree', '--quiet', known.commit, remoteRef, '--', folderOf(id)])).code === 0) {
          known.at = fetches;
          return known.commit;
        }
        const commit = await newestCommitFor(id, remoteRef);
        remember(id, commit);
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
          fetches++;
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
