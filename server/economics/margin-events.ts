/**
 * The "tenant's margin turned negative" signal. Checked after every cost metering run on the month so far
 * (accrued revenue − cost); margin_states remembers the last answer, so it fires on the turn, not every tick.
 */
import { sql } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { emitEvent } from '../events';
import { audit } from '../services/audit';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));

export type MarginTurn = { orgId: string; month: string; marginCents: number };

/**
 * The one emit point for `tenant.margin_negative`: an audit entry (it shows in the tenant timeline) and an event
 * in the outbox (staff-only: customers cannot subscribe to it).
 */
export async function emitMarginNegative(tx: DbOrTx, turn: MarginTurn): Promise<void> {
  await audit(tx, { actorId: null, orgId: turn.orgId, action: 'tenant.margin_negative', target: turn.orgId, after: { month: turn.month, marginCents: turn.marginCents } });
  await emitEvent(tx, { orgId: turn.orgId, type: 'tenant.margin_negative', data: { month: turn.month, marginCents: turn.marginCents } });
}

export async function checkMarginTurns(tx: DbOrTx, now: Date): Promise<MarginTurn[]> {
  const month = `${now.toISOString().slice(0, 7)}-01`;
  const result = await tx.execute(sql`
    with m as (
      select org_id, round((sum(revenue_centi_cents) - sum(cost_centi_cents)) / 100.0)::bigint as margin
      from economics_monthly where month = ${month}::date group by org_id
    ),
    up as (
      insert into margin_states (org_id, negative, changed_at) select org_id, margin < 0, ${now.toISOString()}::timestamptz from m
      on conflict (org_id) do update set negative = excluded.negative, changed_at = excluded.changed_at
        where margin_states.negative is distinct from excluded.negative
      returning org_id, negative
    )
    select up.org_id as "orgId", m.margin::float8 as "marginCents" from up join m using (org_id) where up.negative`);
  const turns = rows<{ orgId: string; marginCents: number }>(result).map((r) => ({ ...r, marginCents: Number(r.marginCents), month }));
  for (const t of turns) await emitMarginNegative(tx, t);
  return turns;
}
