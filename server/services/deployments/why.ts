/** The server's half of "why is it not ready?" (lib/why-not-ready.ts): the queue position and the clock. */
import { and, count, lt, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { deployments } from '~/db/schema';
import { whyNotReady, type Audience, type WhyInput } from '~/lib/why-not-ready';

/** Due, unleased deployments ahead of one due at `at` (through deployments_due_idx); null when it is not due. */
export async function queueAhead(db: Db, at: Date | null): Promise<number | null> {
  if (!at || at.getTime() > Date.now()) return null;
  const [row] = await db
    .select({ n: count() })
    .from(deployments)
    .where(and(lt(deployments.nextReconcileAt, at), sql`(${deployments.leaseExpiresAt} is null or ${deployments.leaseExpiresAt} < now())`));
  return row?.n ?? 0;
}

export async function explain(db: Db, d: Omit<WhyInput, 'queueAhead' | 'now'>, audience: Audience): Promise<string | null> {
  return whyNotReady({ ...d, queueAhead: await queueAhead(db, d.nextReconcileAt), now: new Date() }, audience);
}
