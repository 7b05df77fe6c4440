/**
 * Postgres's commit counter, read honestly. Backends report their counts to pg_stat_database in batches (when
 * idle, at most about once a second, and when they exit), so a read right after the work misses the last
 * batches: stop the processes that did the work first, then read until two reads a second apart agree.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '~/db/client';

async function read(db: Db): Promise<number> {
  // This backend's own counts first; then a fresh snapshot, not the one cached for this transaction.
  await db.execute(sql`select pg_stat_force_next_flush()`);
  await db.execute(sql`select pg_stat_clear_snapshot()`);
  const rows = (await db.execute(sql`select xact_commit from pg_stat_database where datname = current_database()`)) as unknown as Array<{ xact_commit: string }>;
  return Number(rows[0]!.xact_commit);
}

/** The commit count once it has stopped moving (each read costs a few commits of its own, subtracted). */
export async function settledCommits(db: Db, timeoutMs = 30_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = await read(db);
  for (;;) {
    await new Promise((r) => setTimeout(r, 1100));
    const now = await read(db);
    // Our own three statements per read are the only change when everything else has settled.
    if (now - last <= 3 || Date.now() > deadline) return now;
    last = now;
  }
}
