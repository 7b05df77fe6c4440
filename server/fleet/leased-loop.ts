/**
 * The loop every worker runs for a job one worker at a time does (the rollout scheduler, organization deletions,
 * snapshots): a round every `intervalMs` — never two at once in this process — each of which first tries to claim
 * the job's lease in job_leases and does nothing without it. Stopping waits for the round in flight and hands the
 * lease back, so another worker takes over at once instead of after the lease runs out.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { Database, Db } from '~/db/client';
import { jobLeases } from '~/db/schema';
import { logger } from '../observability/logger';

/** Takes or extends the lease; true when this owner holds it. Database time, so clocks of workers do not matter. */
export async function claimLease(db: Db, name: string, owner: string, ms: number): Promise<boolean> {
  const rows = await db
    .insert(jobLeases)
    .values({ name, owner, expiresAt: sql`now() + make_interval(secs => ${ms / 1000})` })
    .onConflictDoUpdate({
      target: jobLeases.name,
      set: { owner, expiresAt: sql`now() + make_interval(secs => ${ms / 1000})` },
      setWhere: sql`${jobLeases.owner} = ${owner} or ${jobLeases.expiresAt} < now()`,
    })
    .returning({ owner: jobLeases.owner });
  return rows.length > 0;
}

export async function releaseLease(db: Db, name: string, owner: string): Promise<void> {
  await db.delete(jobLeases).where(and(eq(jobLeases.name, name), eq(jobLeases.owner, owner)));
}


export function startLeasedLoop(
  database: Database,
  o: { lease: string; owner: string; intervalMs: number; what: string; round: (tick: { at: number }) => Promise<unknown> },
): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = o
      .round({ at: Date.now() })
      .then(() => undefined)
      .catch((e) => logger.error({ err: e }, `${o.what} round failed; it runs again`))
      .finally(() => (running = null));
  };
  tick();
  const timer = setInterval(tick, o.intervalMs);
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
    await releaseLease(database.db, o.lease, o.owner).catch(() => {});
  };
}
