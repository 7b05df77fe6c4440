/**
 * Domain events, written through an outbox: `emitEvent` inserts a row into `events` in the caller's transaction,
 * so an event exists exactly when the change it describes committed. Dispatchers (webhooks, mail) read the table
 * afterwards; nothing is sent from inside a transaction.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { events } from '~/db/schema';
import type { EventType } from '~/lib/events';

export { EVENT_TYPES, type EventType } from '~/lib/events';

export type EmitEvent = { orgId: string; type: EventType; deploymentId?: string | null; data?: Record<string, unknown> };

/** Records one event in `tx`: call it inside the transaction that makes the event true. */
export async function emitEvent(tx: DbOrTx, e: EmitEvent): Promise<void> {
  await tx.insert(events).values({ orgId: e.orgId, type: e.type, deploymentId: e.deploymentId ?? null, data: e.data ?? {} });
}

/**
 * The same insert as a SQL fragment, for callers whose write is one statement (the reconciler's fenced write is
 * a chain of CTEs): `select` must yield (org_id, type, deployment_id, data) rows.
 */
export function insertEventsSql(select: SQL): SQL {
  return sql`insert into events (org_id, type, deployment_id, data) ${select}`;
}
