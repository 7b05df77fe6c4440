/**
 * Turn-taking for the workers that write one GitOps repository (GitOpsOptions.exclusive): a Postgres advisory
 * lock held for one batch's fetch-to-push. Without it, every worker fetches, commits and pushes at once and all
 * but one push is rejected (bench/gitops.ts: 4 workers spent most of their pushes on rejections and backoff).
 *
 * The lock is a transaction-scoped advisory lock, so a worker that dies or loses its connection releases it with
 * its session. Waiting is bounded (`waitMs`): a writer that cannot get its turn in time goes ahead without one —
 * correctness never depended on the lock, the push is a compare-and-swap on the branch.
 * PGlite has one process and one connection: no lock there (a transaction would hold the only connection).
 */
import { sql } from 'drizzle-orm';
import type { Database } from '~/db/client';

export function repositoryTurns(database: Database, repoUrl: string, o: { waitMs?: number } = {}) {
  if (database.kind !== 'postgres') return undefined;
  const waitMs = o.waitMs ?? 30_000;
  const key = `plinth:gitops:${repoUrl}`;
  return async <T>(work: () => Promise<T>): Promise<T> => {
    let started = false;
    let done: { value: T } | null = null;
    try {
      await database.db.transaction(async (tx) => {
        await tx.execute(sql`select set_config('lock_timeout', ${`${waitMs}ms`}, true)`);
        await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
        started = true;
        done = { value: await work() };
      });
    } catch (e) {
      const finished = done as { value: T } | null;
      if (finished) return finished.value; // only releasing the lock failed (the connection went): the work is done
      if (started) throw e; // the work's own failure
      return work(); // no turn to be had (timeout, no connection): go ahead without one
    }
    return (done as { value: T } | null)!.value;
  };
}
