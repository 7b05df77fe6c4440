import { sql } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { RECONCILE_CHANNEL } from './store';

/** Wakes the workers. Inside a transaction Postgres delivers it at commit, so workers never see uncommitted work. */
export async function notifyReconciler(tx: DbOrTx): Promise<void> {
  await tx.execute(sql`select pg_notify(${RECONCILE_CHANNEL}, '')`);
}
