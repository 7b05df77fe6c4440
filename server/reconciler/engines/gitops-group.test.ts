/**
 * Group commit between GitOps writers (gitops-group.ts) on the Postgres server and the real git: several
 * writers' edits land in one commit with a result for each caller; a failed turn takes its own edits back and
 * leaves the others' for the next turn; a holder cut off mid-turn releases it and the next writer commits what it
 * had; a writer that cannot get a turn in time commits its own edits; PGlite needs none of it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '~/db/client';
import { gitopsEdits } from '~/db/schema';
import { openTestDatabase, type TestDb } from '~/test/harness';
import { createGitOps } from './gitops';
import { groupCommits, type GroupEdit } from './gitops-group';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = mkdtempSync(path.join(tmpdir(), 'plinth-gitops-group-'));
const key = (repo: string) => `plinth:gitops:${repo}`;
const edit = (deployment: string, generation: number): GroupEdit => ({
  deployment,
  edit: { files: { 'config.json': JSON.stringify({ generation }) } },
  generation,
  message: `${deployment}: generation ${generation}`,
});
const done = (edits: GroupEdit[]) => edits.map(() => ({ commit: 'c0ffee', changed: true }));

describe('GitOps group commit (postgres)', () => {
  let t: TestDb;
  let other: Database; // a second worker process's connection pool
  let repo = '';
  let n = 0;
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    other = await openDatabase(t.url!, { migrate: false });
  });
  afterAll(async () => {
    await other.close();
    await t.drop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(async () => {
    repo = path.join(root, `repo-${++n}.git`);
    await t.db.delete(gitopsEdits);
  });
  const queued = async () => (await t.db.select().from(gitopsEdits)).length;
  const until = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 200 && !(await check()); i++) await sleep(25);
  };
  /** Holds the repository's turn (as a writer in the middle of a push would) until the returned function is called. */
  const holdTurn = async (database: Database) => {
    let release!: () => void;
    let holding!: () => void;
    const held = new Promise<void>((r) => (holding = r));
    const over = database.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key(repo)}, 0))`);
      holding();
      await new Promise<void>((r) => (release = r));
    });
    await held;
    return async () => (release(), await over);
  };

  it("commits several writers' edits in one commit, and gives each caller its own result", async () => {
    const writer = (name: string, database: Database) =>
      createGitOps({ repoUrl: repo, branch: 'main', workDir: path.join(root, `${n}-${name}`), group: groupCommits(database, repo)! });
    const a = writer('a', t);
    const b = writer('b', other);
    const release = await holdTurn(t);
    const writes = [
      ...Array.from({ length: 5 }, (_, i) => a.write(`a${i}`, { 'config.json': JSON.stringify({ generation: 1 }) }, `a${i}: generation 1`, { generation: 1 })),
      ...Array.from({ length: 5 }, (_, i) => b.write(`b${i}`, { 'config.json': JSON.stringify({ generation: 1 }) }, `b${i}: generation 1`, { generation: 1 })),
    ];
    await until(async () => (await queued()) === 10);
    await release();
    const results = await Promise.all(writes);
    const git = (...args: string[]) => execFileSync('git', ['--git-dir', repo, ...args], { encoding: 'utf8' }).trim();
    expect(Number(git('rev-list', '--count', 'main'))).toBe(1);
    const head = git('rev-parse', 'main');
    for (const r of results) expect(r).toEqual({ commit: head, changed: true });
    expect(git('ls-tree', '--name-only', 'main:tenants').split('\n').sort()).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3', 'b4']);
    // Every caller collected its result: nothing is left queued.
    expect(await queued()).toBe(0);
    // A stale generation queued by one writer does not roll back what another wrote.
    await b.write('a0', { 'config.json': JSON.stringify({ generation: 2 }) }, 'a0: generation 2', { generation: 2 });
    await expect(a.write('a0', { 'config.json': JSON.stringify({ generation: 1 }) }, 'a0: generation 1', { generation: 1 })).resolves.toEqual({ commit: null, changed: false, newer: 2 });
  });

  it("takes its own edits back when its turn fails, and leaves the others' for the next turn", async () => {
    const a = groupCommits(t, repo)!;
    const b = groupCommits(other, repo)!;
    const seenByB: string[] = [];
    let bQueued!: Promise<unknown>;
    const failing = a([edit('a', 1)], async () => {
      bQueued = b([edit('b', 1)], async (edits) => (seenByB.push(...edits.map((e) => e.deployment)), done(edits)));
      await until(async () => (await queued()) === 2);
      throw new Error('git push failed: remote hung up');
    });
    await expect(failing).rejects.toThrow('remote hung up');
    await expect(bQueued).resolves.toEqual([{ commit: 'c0ffee', changed: true }]);
    expect(seenByB).toEqual(['b']);
    expect(await queued()).toBe(0);
  });

  it('releases the turn of a holder cut off mid-push; the next writer commits what it had queued, in order', async () => {
    const cutOff = await openDatabase(t.url!, { migrate: false });
    try {
      let resume!: () => void;
      const a = groupCommits(cutOff, repo)!(
        [edit('x', 1), edit('y', 1)],
        () => new Promise((r) => (resume = () => r(done([edit('x', 1), edit('y', 1)])))),
      );
      const aOutcome = a.then(
        () => 'resolved',
        (e: { code?: string }) => e.code ?? String(e),
      );
      await until(async () => (await queued()) === 2 && resume !== undefined);
      const seenByB: string[] = [];
      const b = groupCommits(other, repo)!([edit('x', 2)], async (edits) => (seenByB.push(...edits.map((e) => `${e.deployment}@${e.generation}`)), done(edits)));
      await sleep(100);
      expect(seenByB).toEqual([]); // waiting for the turn
      // The network cuts the holder off: its session ends, and with it the transaction that held the turn.
      // (Only in this test's own database: other suites' processes hold advisory locks of their own on the server.)
      await t.db.execute(sql`
        select pg_terminate_backend(l.pid) from pg_locks l join pg_database d on d.oid = l.database
        where l.locktype = 'advisory' and l.granted and d.datname = current_database() and l.pid <> pg_backend_pid()`);
      await expect(b).resolves.toEqual([{ commit: 'c0ffee', changed: true }]);
      expect(seenByB).toEqual(['x@1', 'y@1', 'x@2']);
      // Its callers got the error when the connection went (it cannot vouch for a commit it could not record);
      // its push finishing later changes nothing (the patched driver refuses the transaction's next statement).
      expect(await aOutcome).toBe('CONNECTION_CLOSED');
      resume();
      await sleep(50);
    } finally {
      await cutOff.close();
    }
  });

  it('commits its own edits when it cannot get a turn in time (the push stays a compare-and-swap)', async () => {
    const release = await holdTurn(t);
    const seen: string[] = [];
    const impatient = groupCommits(other, repo, { waitMs: 100 })!;
    await expect(impatient([edit('z', 1)], async (edits) => (seen.push(...edits.map((e) => e.deployment)), done(edits)))).resolves.toEqual([
      { commit: 'c0ffee', changed: true },
    ]);
    expect(seen).toEqual(['z']);
    expect(await queued()).toBe(0);
    await release();
  });

  it('needs no queue on PGlite (one process batches alone)', async () => {
    const p = await openTestDatabase('pglite');
    try {
      expect(groupCommits(p, repo)).toBeUndefined();
    } finally {
      await p.drop();
    }
  });
});
