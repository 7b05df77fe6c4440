/**
 * The GitOps repository the Argo CD engine writes: one folder per deployment under `tenants/`, which the
 * ApplicationSet's git generator turns into Applications. Any git URL works (the system `git` does the talking,
 * with whatever credentials it is configured with); the default is a local bare repository, created if missing.
 *
 * Changes are batched: the write/remove calls a process makes while its previous commit is under way are applied
 * together — one fetch, one commit naming them all, one push. The commit is built with git's plumbing in a bare
 * repository of this process's own (`gitops-batch.ts`: ls-tree, cat-file, fast-import), never in a working tree,
 * so a batch costs the same with 10 deployments in the repository as with 50,000, and the window between fetch
 * and push — in which another writer's push gets ours rejected — stays short. A rejected push rebuilds the batch
 * on the new head and retries with exponential backoff and jitter. Every git call has a timeout. Each caller gets
 * its own result.
 *
 * A folder carries the generation it was written for (`generation` in its config.json): a write for an older
 * generation never replaces it, so a worker that stalled and lost its lease cannot roll a deployment back. An
 * aborted signal drops the caller's edit from the batch before the commit; once the push is under way the caller
 * is released at once with the abort reason (never a success it cannot vouch for) while the push goes on for the
 * others — the edit may land with it, which the generation rule makes harmless.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { commitStream, folderOf, GENERATION_FILE, parseCatFile, parseListing, planBatch, type BatchEdit, type FolderEdit, type ObjectFormat } from './gitops-batch';
import { GIT_TIMEOUT_MS, runGit, type GitResult } from './gitops-git';
import type { GroupCommit, GroupEdit } from './gitops-group';
import { TransientError } from './types';

export { folderOf, GENERATION_FILE, TENANTS } from './gitops-batch';

export type GitOpsOptions = {
  repoUrl: string;
  branch: string;
  /** Where this process keeps its repository. */
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
  /**
   * Commits every writer's queued edits in one commit per turn (workers on one Postgres server: gitops-group.ts).
   * Without it each process commits its own batches, and concurrent writers' pushes reject each other and retry.
   * Only throughput depends on it: the push is a compare-and-swap on the branch either way.
   */
  group?: GroupCommit;
};

export type GitOps = ReturnType<typeof createGitOps>;

/** Hides credentials embedded in a URL (https://user:token@host/...) from messages and the console. */
export const redactUrl = (url: string) => url.replace(/\/\/[^/@]*@/, '//***@');
const isLocalPath = (url: string) => url.startsWith('/') || url.startsWith('file://');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Full jitter over an exponential ceiling (100 ms, 200 ms, ... at most 5 s): writers that collided spread out. */
const backoff = (attempt: number) => Math.random() * Math.min(5000, 50 * 2 ** attempt);
/** The local branch fast-import writes each batch's commit to, and the push sends. */
const BATCH_REF = 'refs/heads/plinth-batch';

type ChangeOptions = { generation?: number; signal?: AbortSignal };
type ChangeResult = { commit: string | null; changed: boolean; newer?: number };
type Edit = BatchEdit & { message: string; signal?: AbortSignal };
type Pending = Edit & {
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
  let format: ObjectFormat | null = null;
  /** Bumped by every fetch: lets a caller know whether the remote was read since it asked. */
  let fetches = 0;
  /**
   * id → the newest commit that changed its folder as of fetch number `at`. Used as is until the next fetch;
   * after one, checked against the branch before use.
   */
  const lastCommit = new Map<string, { commit: string; at: number }>();
  const ancestry = new Map<string, boolean>();

  const git = (args: string[], cwd = clone, input?: string): Promise<GitResult> => runGit(args, cwd, timeoutMs, undefined, input);
  const must = async (args: string[], cwd?: string, input?: string) => {
    const r = await git(args, cwd, input);
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
    // Maintenance (packing the objects fetches and batches leave) runs every 25 fetches, not after each one.
    await must(['fetch', '-q', '--prune', '--no-auto-maintenance', 'origin']);
    if (++fetches % 25 === 0) await git(['maintenance', 'run', '--auto']);
    fetchedAt = started;
  };
  const newestCommitFor = async (id: string, ref: string) => (await git(['log', '-1', '--format=%H', ref, '--', folderOf(id)])).stdout.trim() || null;
  const remember = (id: string, commit: string | null) => {
    if (lastCommit.size > 50_000) lastCommit.clear();
    if (commit) lastCommit.set(id, { commit, at: fetches });
  };

  /** Creates the default local bare repository; removes repositories left by processes that are gone. */
  async function ensureRepo() {
    const local = o.repoUrl.replace(/^file:\/\//, '');
    if (isLocalPath(o.repoUrl) && !existsSync(local)) {
      // Created aside and renamed into place: writers starting together must not trip over a half-made repository.
      await mkdir(path.dirname(local), { recursive: true });
      const aside = `${local}.${process.pid}-${Math.random().toString(36).slice(2)}`;
      await must(['init', '-q', '--bare', `--initial-branch=${o.branch}`, aside], path.dirname(local));
      await rename(aside, local).catch(() => rm(aside, { recursive: true, force: true }));
    }
    // Pushes to the local repository stay packs too (see prepare()), also in one made by an older Plinth; the
    // repository's own `gc --auto` after a push folds them together.
    // Best effort: workers starting together may race for the config file's lock, and one of them will win.
    if (isLocalPath(o.repoUrl) && (await git(['--git-dir', local, 'config', '--get', 'receive.unpackLimit'], path.dirname(local))).stdout.trim() !== '1') {
      await git(['--git-dir', local, 'config', 'receive.unpackLimit', '1'], path.dirname(local));
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

  /** The bare repository this process builds its commits in (made once), with the remote as `origin`. */
  async function prepare(): Promise<ObjectFormat> {
    if (format && existsSync(path.join(clone, 'HEAD'))) return format;
    await ensureRepo();
    await rm(clone, { recursive: true, force: true });
    await mkdir(clone, { recursive: true });
    await must(['init', '-q', '--bare', clone], o.workDir);
    await must(['remote', 'add', 'origin', o.repoUrl]);
    // Keep what a batch or a fetch brings as one pack file: below 100 objects (a batch of fewer than ~50 folders)
    // git would write each object as a loose file, fsynced one by one — 200–300 ms a batch instead of 20–30.
    // Maintenance (below) folds the packs together.
    for (const setting of ['fastimport.unpackLimit', 'fetch.unpackLimit']) await must(['config', setting, '1']);
    format = (await must(['rev-parse', '--show-object-format'])) === 'sha256' ? 'sha256' : 'sha1';
    return format;
  }

  /** Queues one folder edit; the next batch picks it up. An abort releases the caller at once. */
  function change(id: string, message: string, edit: FolderEdit, opts: ChangeOptions = {}): Promise<ChangeResult> {
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

  /**
   * What the remote branch (as last fetched) holds in the batch's folders and the shared files, and the
   * generations those folders name; `exists` is false when the repository has no such branch yet.
   */
  async function read(batch: Edit[]) {
    const ids = [...new Set(batch.map((p) => p.id))];
    const paths = [...ids.map((id) => `${folderOf(id)}/`), ...Object.keys(o.shared ?? {})];
    const listed = await git(['ls-tree', '-r', '-z', '--full-tree', remoteRef, '--', ...paths]);
    if (listed.code !== 0 && /Not a valid object name/.test(listed.stderr)) return { exists: false, listing: new Map<string, string>(), configs: new Map<string, string>() };
    if (listed.code !== 0) throw new TransientError(`git ls-tree failed for ${redactUrl(o.repoUrl)}: ${listed.stderr.trim()}`);
    const listing = parseListing(listed.stdout);
    const blobs = [...new Set(batch.filter((p) => p.generation !== undefined).map((p) => listing.get(`${folderOf(p.id)}/${GENERATION_FILE}`)))].filter((b): b is string => !!b);
    const configs = blobs.length ? parseCatFile(await must(['cat-file', '--batch'], undefined, `${blobs.join('\n')}\n`)) : new Map<string, string>();
    return { exists: true, listing, configs };
  }

  /**
   * One fetch-plan-commit-push for `edits` (in order). 'again': a caller aborted meanwhile, plan without it;
   * 'rejected': someone else pushed first (or the remote hiccuped). Otherwise each edit's result.
   */
  async function turn(edits: Edit[], objectFormat: ObjectFormat, attempt: number): Promise<'again' | 'rejected' | ChangeResult[]> {
    await fetch();
    const { exists, listing, configs } = await read(edits);
    const parent = exists ? `${remoteRef}^0` : null;
    const plan = planBatch({ edits, listing, configs, shared: o.shared ?? {}, format: objectFormat });
    const applied = edits.filter((p) => plan.outcomes.get(p)?.applied);
    if (applied.some((p) => p.signal?.aborted)) return 'again'; // not a push attempt
    let head = parent && remoteRef;
    if (plan.changes) {
      const touched = applied.filter((p) => plan.changedIds.has(p.id));
      const lines = touched.length ? [...new Set(touched.map((p) => p.message))] : ['shared files'];
      const subject = touched.length === 1 ? lines[0]! : `${plan.changedIds.size} deployments`;
      const message = touched.length === 1 ? subject : `${subject}\n\n${lines.join('\n')}`;
      const commit = await must(['fast-import', '--quiet', '--force'], undefined, commitStream({ ref: BATCH_REF, parent, message, changes: plan.changes, now: new Date() }));
      if (applied.some((p) => p.signal?.aborted)) return 'again'; // dropped before the push
      const pushed = await git(['push', '-q', 'origin', `${BATCH_REF}:refs/heads/${o.branch}`]);
      if (pushed.code !== 0) {
        if (attempt >= pushAttempts) throw new TransientError(`git push to ${redactUrl(o.repoUrl)} kept being rejected (${attempt} attempts): ${redactUrl(pushed.stderr.trim())}`);
        return 'rejected';
      }
      head = commit;
    }
    const results: ChangeResult[] = [];
    for (const p of edits) {
      const outcome = plan.outcomes.get(p)!;
      if (!outcome.applied) {
        results.push({ commit: null, changed: false, newer: outcome.newer });
        continue;
      }
      // Unchanged: already there, maybe written by another process; the commit that did it is what Argo CD needs.
      const changed = plan.changedIds.has(p.id);
      results.push({ commit: changed ? head : head && (await newestCommitFor(p.id, head)), changed });
    }
    return results;
  }

  /** Commits and pushes every pending edit as one commit; retries on a new head until the push lands. */
  async function flush() {
    flushQueued = false;
    let batch = pending;
    pending = [];
    try {
      const objectFormat = await prepare();
      if (o.group) return await flushGrouped(batch, objectFormat);
      for (let attempt = 1; ; ) {
        // A retry takes in what was queued meanwhile: one commit for more, instead of more commits racing.
        batch = batch.concat(pending).filter((p) => !p.signal?.aborted);
        pending = [];
        if (batch.length === 0) return;
        const outcome = await turn(batch, objectFormat, attempt);
        if (outcome === 'again') continue;
        if (outcome === 'rejected') {
          await sleep(backoff(attempt++));
          continue;
        }
        batch.forEach((p, i) => {
          remember(p.id, outcome[i]!.commit);
          p.resolve(outcome[i]!);
        });
        return;
      }
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  }

  /**
   * The batch goes to the workers' shared queue (gitops-group.ts): this process's turn may commit other workers'
   * edits with its own, or find that another worker's turn already committed them. An edit aborted before it is
   * queued is dropped; one aborted after may still land (its caller was released at once), which the generation
   * rule makes harmless.
   */
  async function flushGrouped(batch: Pending[], objectFormat: ObjectFormat) {
    const live = batch.filter((p) => !p.signal?.aborted);
    const commitAll = async (edits: GroupEdit[]) => {
      const asked: Edit[] = edits.map((e) => ({ id: e.deployment, edit: e.edit, message: e.message, ...(e.generation !== undefined ? { generation: e.generation } : {}) }));
      for (let attempt = 1; ; attempt++) {
        const outcome = await turn(asked, objectFormat, attempt);
        if (outcome === 'again') continue;
        if (outcome !== 'rejected') return outcome;
        await sleep(backoff(attempt)); // another tool pushed: Plinth's own workers are in the queue, not racing
      }
    };
    const results = await o.group!(
      live.map((p) => ({ deployment: p.id, edit: p.edit, message: p.message, ...(p.generation !== undefined ? { generation: p.generation } : {}) })),
      commitAll,
    );
    live.forEach((p, i) => {
      remember(p.id, results[i]!.commit);
      p.resolve(results[i]!);
    });
  }

  return {
    ensureRepo: () => serial(ensureRepo),
    /**
     * Writes the deployment's folder (only these files); a no-op when they are already there, or when the folder
     * holds a newer generation than `opts.generation`.
     */
    write(id: string, files: Record<string, string>, message: string, opts: ChangeOptions = {}) {
      return change(id, message, { files }, opts);
    },
    /** Removes the deployment's folder; a no-op when it is already gone. */
    remove(id: string, message: string, opts: { signal?: AbortSignal } = {}) {
      return change(id, message, { remove: true }, opts);
    },
    /**
     * The newest commit on the branch that changed the deployment's folder (what Argo CD must have seen), as the
     * remote has it now: another process may have written the folder since this one did (a lease hand-off), so
     * the remote is fetched — once for every caller waiting at the same time, and not again within `freshMs` —
     * and the cached commit is used only while the folder on the branch is still what it was at that commit.
     */
    lastCommitFor(id: string): Promise<string | null> {
      const asked = fetches;
      const fresh = () => Date.now() - fetchedAt < freshMs;
      const cached = lastCommit.get(id);
      // Nothing read from the remote since it was cached, and read recently: the answer cannot have changed.
      if (cached && cached.at === fetches && fresh()) return Promise.resolve(cached.commit);
      return serial(async () => {
        if (fetches === asked && !fresh()) {
          await prepare();
          await fetch();
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
