/**
 * The batch planner against the real git: blob ids as `git hash-object` computes them, listings and cat-file
 * output as git prints them, and a fast-import stream git accepts — so "unchanged" means what git would say.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blobId, commitStream, parseCatFile, parseListing, planBatch, type BatchEdit } from './gitops-batch';

const dir = mkdtempSync(path.join(tmpdir(), 'plinth-gitops-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
execFileSync('git', ['init', '-q', '--bare', dir]);
const git = (args: string[], input?: string) => execFileSync('git', ['--git-dir', dir, ...args], { encoding: 'utf8', ...(input !== undefined ? { input } : {}) }).trim();
const config = (generation: number, extra = '') => JSON.stringify({ generation, extra });

/** Commits the plan's changes on top of `parent` with the real fast-import and returns the new commit. */
function commit(parent: string | null, changes: string) {
  return git(['fast-import', '--quiet', '--force'], commitStream({ ref: 'refs/heads/t', parent, message: 'test', changes, now: new Date() }));
}
function plan(head: string | null, edits: BatchEdit[], shared: Record<string, string> = {}) {
  const listing = head ? parseListing(git(['ls-tree', '-r', '-z', '--full-tree', head])) : new Map<string, string>();
  const blobs = [...listing.values()];
  const configs = blobs.length ? parseCatFile(execFileSync('git', ['--git-dir', dir, 'cat-file', '--batch'], { input: `${blobs.join('\n')}\n`, encoding: 'utf8' })) : new Map<string, string>();
  return planBatch({ edits, listing, configs, shared, format: 'sha1' });
}

describe('GitOps batch planner', () => {
  it('hashes blobs as git does, multi-byte text included', () => {
    for (const text of ['', 'hello\n', '{"name":"café – ☕"}']) expect(blobId(text, 'sha1')).toBe(git(['hash-object', '--stdin'], text));
  });

  it('writes, then finds an identical write unchanged, a changed one changed, and an absent remove unchanged', () => {
    const first = plan(null, [{ id: 'a', edit: { files: { 'config.json': config(1), 'values.yaml': 'x: 1\n' } }, generation: 1 }], { 'base.yaml': 'base\n' });
    expect([...first.changedIds]).toEqual(['a']);
    const c1 = commit(null, first.changes!);
    expect(git(['show', `${c1}:tenants/a/values.yaml`])).toBe('x: 1');
    expect(git(['show', `${c1}:base.yaml`])).toBe('base');

    const same = plan(c1, [{ id: 'a', edit: { files: { 'config.json': config(1), 'values.yaml': 'x: 1\n' } }, generation: 1 }, { id: 'gone', edit: { remove: true } }], { 'base.yaml': 'base\n' });
    expect(same.changes).toBeNull();
    expect(same.changedIds.size).toBe(0);

    // A write is the whole folder: a file it does not name is removed.
    const second = plan(c1, [{ id: 'a', edit: { files: { 'config.json': config(2) } }, generation: 2 }], { 'base.yaml': 'base\n' });
    const c2 = commit(c1, second.changes!);
    expect(git(['ls-tree', '-r', '--name-only', c2])).toBe('base.yaml\ntenants/a/config.json');
  });

  it('refuses an older generation against the branch and against an earlier edit in the same batch', () => {
    const c1 = commit(null, plan(null, [{ id: 'b', edit: { files: { 'config.json': config(3) } }, generation: 3 }]).changes!);
    const older: BatchEdit = { id: 'b', edit: { files: { 'config.json': config(2) } }, generation: 2 };
    const newer: BatchEdit = { id: 'c', edit: { files: { 'config.json': config(5) } }, generation: 5 };
    const stale: BatchEdit = { id: 'c', edit: { files: { 'config.json': config(4) } }, generation: 4 };
    const p = plan(c1, [older, newer, stale]);
    expect(p.outcomes.get(older)).toEqual({ applied: false, newer: 3 });
    expect(p.outcomes.get(newer)).toEqual({ applied: true });
    expect(p.outcomes.get(stale)).toEqual({ applied: false, newer: 5 });
    expect([...p.changedIds]).toEqual(['c']);
  });

  it('removes a folder, and refuses a file name that would leave the folder', () => {
    const c1 = commit(null, plan(null, [{ id: 'd', edit: { files: { 'config.json': config(1) } } }]).changes!);
    const removed = plan(c1, [{ id: 'd', edit: { remove: true } }]);
    expect(git(['ls-tree', '-r', '--name-only', commit(c1, removed.changes!)])).toBe('');
    expect(() => plan(c1, [{ id: 'd', edit: { files: { '../escape': 'x' } } }])).toThrow('Unsafe GitOps file name');
  });
});
