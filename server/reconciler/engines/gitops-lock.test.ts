/**
 * Turn-taking between GitOps writers (gitops-lock.ts) on the Postgres server: two writers never run their
 * fetch-to-push at the same time, a writer's failure is its own, a writer that cannot get a turn in time goes
 * ahead without one, and PGlite (one process) needs no lock. The repository side is in gitops.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '~/db/client';
import { openTestDatabase, type TestDb } from '~/test/harness';
import { repositoryTurns } from './gitops-lock';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('GitOps writers take turns (postgres)', () => {
  let t: TestDb;
  let other: Database; // a second process's connection pool
  beforeAll(async () => {
    t = await openTestDatabase('postgres');
    other = await openDatabase(t.url!, { migrate: false });
  });
  afterAll(async () => {
    await other.close();
    await t.drop();
  });

  it('runs one writer at a time across connection pools, and the next one as soon as the first is done', async () => {
    const a = repositoryTurns(t, '/srv/gitops.git')!;
    const b = repositoryTurns(other, '/srv/gitops.git')!;
    const log: string[] = [];
    const turn = (name: string) => async () => {
      log.push(`${name} in`);
      await sleep(150);
      log.push(`${name} out`);
      return name;
    };
    const results = await Promise.all([a(turn('a')), b(turn('b')), a(turn('c'))]);
    expect(results).toEqual(['a', 'b', 'c']);
    // Never two "in" in a row: each turn ends before the next begins.
    for (let i = 0; i < log.length; i += 2) expect(log[i + 1]).toBe(log[i]!.replace(' in', ' out'));
  });

  it('lets writers of different repositories work at once', async () => {
    const a = repositoryTurns(t, '/srv/one.git')!;
    const b = repositoryTurns(other, '/srv/two.git')!;
    const log: string[] = [];
    const turn = (name: string) => async () => (log.push(`${name} in`), await sleep(150), log.push(`${name} out`));
    await Promise.all([a(turn('a')), b(turn('b'))]);
    expect(log.slice(0, 2).sort()).toEqual(['a in', 'b in']);
  });

  it("passes on a writer's own failure, and releases the turn", async () => {
    const a = repositoryTurns(t, '/srv/gitops.git')!;
    await expect(a(async () => Promise.reject(new Error('push rejected')))).rejects.toThrow('push rejected');
    await expect(a(async () => 'next')).resolves.toBe('next');
  });

  it('goes ahead without a turn when it cannot get one in time (the push stays a compare-and-swap)', async () => {
    const holder = repositoryTurns(t, '/srv/gitops.git')!;
    const impatient = repositoryTurns(other, '/srv/gitops.git', { waitMs: 100 })!;
    let release!: () => void;
    const held = holder(() => new Promise<void>((r) => (release = r)));
    await sleep(100);
    // Resolves while the holder still holds the lock: it did not wait for it.
    await expect(impatient(async () => 'went ahead')).resolves.toBe('went ahead');
    release();
    await held;
  });

  it('needs no lock on PGlite', async () => {
    const p = await openTestDatabase('pglite');
    try {
      expect(repositoryTurns(p, '/srv/gitops.git')).toBeUndefined();
    } finally {
      await p.drop();
    }
  });
});
