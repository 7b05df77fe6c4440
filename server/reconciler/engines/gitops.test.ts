/**
 * The GitOps repository on a real local bare repository and the real git: batching of concurrent changes, push
 * contention between several writers, the generation rule and aborts inside a batch, the last-commit cache after
 * a lease hand-off, and the timeout on a git call that hangs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitOps } from './gitops';
import { TransientError } from './types';

const root = mkdtempSync(path.join(tmpdir(), 'plinth-gitops-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let repo = '';
let n = 0;
beforeEach(() => {
  repo = path.join(root, `repo-${++n}.git`);
});
const writer = (name: string, extra: { timeoutMs?: number; freshMs?: number } = {}) => createGitOps({ repoUrl: repo, branch: 'main', workDir: path.join(root, `${n}-${name}`), ...extra });
const gitIn = (...args: string[]) => execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' }).trim();
const generationAt = (id: string, ref = 'main') => JSON.parse(gitIn('show', `${ref}:tenants/${id}/config.json`)).generation as number;
const commits = () => Number(gitIn('rev-list', '--count', 'main'));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const config = (generation: number) => ({ 'config.json': JSON.stringify({ generation }) });

describe('GitOps repository', () => {
  it('coalesces concurrent writes into one commit, and gives each caller its own result', async () => {
    const w = writer('a');
    const ids = Array.from({ length: 20 }, (_, i) => `d${i}`);
    const results = await Promise.all(ids.map((id, i) => w.write(id, config(i + 1), `${id}: generation ${i + 1}`, { generation: i + 1 })));
    expect(commits()).toBe(1);
    const head = gitIn('rev-parse', 'main');
    for (const [i, id] of ids.entries()) {
      expect(results[i]).toEqual({ commit: head, changed: true });
      expect(generationAt(id)).toBe(i + 1);
    }
    // The message names every deployment and generation in the batch.
    const message = gitIn('log', '-1', '--format=%B', 'main');
    for (const [i, id] of ids.entries()) expect(message).toContain(`${id}: generation ${i + 1}`);
    // A repeat is a no-op that names the commit that holds the folder.
    expect(await w.write('d3', config(4), 'again', { generation: 4 })).toEqual({ commit: head, changed: false });
    expect(commits()).toBe(1);
  });

  it('keeps small batches as packs, in its own repository and in the local one it creates (no loose objects to fsync)', async () => {
    const w = writer('packs');
    await Promise.all(['p1', 'p2', 'p3'].map((id) => w.write(id, config(1), `${id}: generation 1`, { generation: 1 })));
    const loose = (dir: string) => Number(/^count: (\d+)$/m.exec(execFileSync('git', ['--git-dir', dir, 'count-objects', '-v'], { encoding: 'utf8' }))![1]);
    expect(loose(repo)).toBe(0);
    expect(loose(path.join(root, `${n}-packs`, `clone-${process.pid}`))).toBe(0);
    expect(commits()).toBe(1);
  });

  it('lets several writers push at once: every write lands, none fails', async () => {
    const writers = [0, 1, 2, 3].map((i) => writer(`w${i}`));
    const writes = writers.flatMap((w, i) => Array.from({ length: 12 }, (_, j) => w.write(`w${i}-d${j}`, config(1), `w${i}-d${j}`, { generation: 1 })));
    const settled = await Promise.allSettled(writes);
    expect(settled.filter((s) => s.status === 'rejected')).toEqual([]);
    const folders = gitIn('ls-tree', '--name-only', 'main', 'tenants/').split('\n');
    expect(folders).toHaveLength(48);
    expect(commits()).toBeLessThan(48);
  });

  it('applies the generation rule inside a batch, edit by edit', async () => {
    const w = writer('a');
    await w.write('held', config(3), 'held: 3', { generation: 3 });
    const [stale, fresh, later, earlier, gone] = await Promise.all([
      w.write('held', config(2), 'held: 2', { generation: 2 }),
      w.write('other', config(1), 'other: 1', { generation: 1 }),
      w.write('twice', config(5), 'twice: 5', { generation: 5 }),
      w.write('twice', config(4), 'twice: 4', { generation: 4 }),
      w.remove('never-written', 'never-written: delete'),
    ]);
    expect(stale).toEqual({ commit: null, changed: false, newer: 3 });
    expect(earlier).toEqual({ commit: null, changed: false, newer: 5 });
    expect(fresh!.changed && later!.changed).toBe(true);
    expect(fresh!.commit).toBe(later!.commit);
    expect(gone!.changed).toBe(false);
    expect([generationAt('held'), generationAt('other'), generationAt('twice')]).toEqual([3, 1, 5]);
    expect(commits()).toBe(2);
  });

  it('drops an aborted caller’s edit from the batch and commits the others', async () => {
    const w = writer('a');
    const lost = new AbortController();
    const a = w.write('a', config(1), 'a: 1', { generation: 1 });
    const b = w.write('b', config(1), 'b: 1', { generation: 1, signal: lost.signal });
    const c = w.write('c', config(1), 'c: 1', { generation: 1 });
    lost.abort(new Error('lease lost'));
    await expect(b).rejects.toThrow('lease lost');
    const [ra, rc] = await Promise.all([a, c]);
    expect(ra.changed && rc.changed).toBe(true);
    expect(gitIn('ls-tree', '--name-only', 'main', 'tenants/').split('\n')).toEqual(['tenants/a', 'tenants/c']);
    expect(gitIn('log', '-1', '--format=%B', 'main')).not.toContain('b: 1');
    // An already-aborted signal never reaches the repository.
    await expect(w.remove('a', 'a: delete', { signal: lost.signal })).rejects.toThrow('lease lost');
    expect(commits()).toBe(1);
  });

  it('does not let a cached commit pass as current after another writer wrote the folder (lease hand-off)', async () => {
    // A reads the remote again when its last read is older than freshMs (1 s by default; a lease hand-off takes longer).
    const a = writer('a', { freshMs: 200 });
    const b = writer('b');
    const first = await a.write('d', config(1), 'd: 1', { generation: 1 });
    expect(await a.lastCommitFor('d')).toBe(first.commit);
    const second = await b.write('d', config(2), 'd: 2', { generation: 2 });
    expect(second.commit).not.toBe(first.commit);
    await sleep(250);
    expect(await a.lastCommitFor('d')).toBe(second.commit);
    // A commit elsewhere in the repository does not change the answer.
    await b.write('e', config(1), 'e: 1', { generation: 1 });
    expect(await a.lastCommitFor('d')).toBe(second.commit);
    const removed = await b.remove('d', 'd: delete');
    await sleep(250);
    expect(await a.lastCommitFor('d')).toBe(removed.commit);
  });

  it('kills a git call that hangs after the timeout and says so', async () => {
    // A "git server" that accepts the connection and never answers.
    const sockets: Socket[] = [];
    const server = createServer((s) => void sockets.push(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    repo = `http://127.0.0.1:${port}/gitops.git`;
    try {
      const w = writer('a', { timeoutMs: 500 });
      const error = await w.write('d', config(1), 'd: 1', { generation: 1 }).catch((e) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect(error.message).toBe(`git fetch failed for ${repo}: git fetch timed out after 0.5 s (PLINTH_GIT_TIMEOUT_S) and was killed`);
      expect(sockets.length).toBeGreaterThan(0);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
