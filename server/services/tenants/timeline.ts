/**
 * One tenant's history in one list: audit entries, operations, reconciler events and billing (invoices,
 * payments, credit ledger, Stripe webhooks), merged in SQL and read newest first with a keyset cursor.
 *
 * An operation and the audit row written in the same transaction (same `now()`, same deployment) are one event:
 * the operation is shown, carrying the audit row's reason, and the audit row is folded into it. Likewise a credit
 * grant and its `credit.issue` audit row. Nothing is dropped — if the two ever stop sharing a transaction, both
 * simply appear.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { rows, toDate, toJson } from '~/db/sql';
import type { TimelineKind } from '~/lib/inputs/staff';
import type { Db } from '~/db/client';
import type { StaffActor } from '../../actor';
import { assertTenant, recordTenantView } from './detail';
import { describeEntry } from './timeline-text';

export type TimelineQuery = {
  kinds?: TimelineKind[];
  /** A user id, or 'system' for what nobody did by hand (reconciler steps, webhooks, invoices). */
  actor?: string;
  cursor?: { at: string; key: string };
  limit?: number;
};

type Raw = {
  key: string;
  kind: TimelineKind;
  action: string;
  at: unknown;
  at_iso: string;
  actor_id: string | null;
  actor_email: string | null;
  actor_staff_role: string | null;
  reason: string | null;
  deployment_id: string | null;
  deployment_name: string | null;
  api_key_name: string | null;
  api_key_prefix: string | null;
  data: unknown;
};

type Branch = { kind: TimelineKind; at: SQL; key: SQL; actor: SQL | null; select: (where: SQL) => SQL };

/** Each source, filtered by org in its own index-friendly way and by the shared cursor/actor conditions. */
function branches(orgId: string, limit: number): Branch[] {
  const auditKey = sql`'a:' || lpad(a.id::text, 19, '0')`;
  const eventKey = sql`'e:' || lpad(e.id::text, 19, '0')`;
  return [
    {
      kind: 'audit',
      at: sql`a.at`,
      key: auditKey,
      actor: sql`a.actor_id`,
      select: (w) => sql`(select ${auditKey} as key, 'audit' as kind, a.action, a.at, a.actor_id, a.reason,
          case when a.action like 'deployment.%' then a.target end as deployment_id,
          jsonb_build_object('target', a.target, 'before', a.before, 'after', a.after, 'apiKeyId', a.api_key_id) as data
        from audit_log a
        where a.org_id = ${orgId} and a.action <> 'staff.view_tenant'
          and not exists (select 1 from operations o where o.org_id = a.org_id and o.deployment_id::text = a.target and o.created_at = a.at)
          and not (a.action = 'credit.issue' and exists (select 1 from credit_entries c where c.org_id = a.org_id and c.id::text = a.target))
          ${w}
        order by a.at desc limit ${limit})`,
    },
    {
      kind: 'access',
      at: sql`a.at`,
      key: auditKey,
      actor: sql`a.actor_id`,
      select: (w) => sql`(select ${auditKey}, 'access', a.action, a.at, a.actor_id, a.reason, null, '{}'::jsonb
        from audit_log a where a.org_id = ${orgId} and a.action = 'staff.view_tenant' ${w}
        order by a.at desc limit ${limit})`,
    },
    {
      kind: 'operation',
      at: sql`o.created_at`,
      key: sql`'o:' || o.id::text`,
      actor: sql`o.requested_by`,
      select: (w) => sql`(select 'o:' || o.id::text, 'operation', 'operation.' || o.kind::text, o.created_at, o.requested_by, au.reason,
          o.deployment_id::text,
          jsonb_build_object('summary', o.summary, 'status', o.status, 'error', o.error, 'generation', o.generation, 'finishedAt', o.finished_at, 'via', au.action, 'apiKeyId', au.api_key_id)
        from operations o
        left join lateral (select x.action, x.reason, x.api_key_id from audit_log x
          where x.org_id = o.org_id and x.at = o.created_at and x.target = o.deployment_id::text order by x.id limit 1) au on true
        where o.org_id = ${orgId} ${w}
        order by o.created_at desc limit ${limit})`,
    },
    {
      kind: 'reconciler',
      at: sql`e.at`,
      key: eventKey,
      actor: null,
      // deployment_events is indexed by deployment, not org: reach it through the org's deployments.
      select: (w) => sql`(select ${eventKey}, 'reconciler', 'event.' || e.step, e.at, null::uuid, null::text, e.deployment_id::text,
          jsonb_build_object('step', e.step, 'level', e.level, 'message', e.message, 'durationMs', e.duration_ms, 'generation', e.generation)
        from deployment_events e
        where e.deployment_id in (select id from deployments where org_id = ${orgId}) and e.org_id = ${orgId} ${w}
        order by e.at desc limit ${limit})`,
    },
    {
      kind: 'billing',
      at: sql`b.at`,
      key: sql`b.key`,
      actor: sql`b.actor_id`,
      select: (w) => sql`(select b.key, 'billing', b.action, b.at, b.actor_id, b.reason, null, b.data from (
          select 'i:' || i.id::text as key, 'invoice.created' as action, i.created_at as at, null::uuid as actor_id, null::text as reason,
            jsonb_build_object('status', i.status, 'totalCents', i.total_cents, 'subtotalCents', i.subtotal_cents, 'creditsAppliedCents', i.credits_applied_cents,
              'currency', i.currency, 'periodStart', i.period_start, 'periodEnd', i.period_end) as data
          from invoices i where i.org_id = ${orgId}
          union all
          select 'p:' || i.id::text, 'invoice.paid', i.paid_at, null, null,
            jsonb_build_object('totalCents', i.total_cents, 'currency', i.currency, 'periodStart', i.period_start)
          from invoices i where i.org_id = ${orgId} and i.paid_at is not null
          union all
          select 'c:' || c.id::text, 'credit.' || c.kind, c.created_at, c.actor_id, c.reason,
            jsonb_build_object('amountCents', c.amount_cents, 'currency', c.currency, 'expiresAt', c.expires_at, 'invoiceId', c.invoice_id)
          from credit_entries c where c.org_id = ${orgId}
          union all
          select 's:' || s.id, 'stripe.' || s.type, s.received_at, null, null, jsonb_build_object('id', s.id, 'type', s.type)
          from stripe_events s where s.org_id = ${orgId}
        ) b where true ${w}
        order by b.at desc limit ${limit})`,
    },
  ];
}

function conditions(q: TimelineQuery, b: Branch): SQL {
  const parts: SQL[] = [];
  if (q.cursor) {
    const at = sql`${q.cursor.at}::timestamptz`;
    parts.push(sql`${b.at} <= ${at} and (${b.at}, ${b.key}) < (${at}, ${q.cursor.key}::text)`);
  }
  if (q.actor === 'system') parts.push(b.actor ? sql`${b.actor} is null` : sql`true`);
  else if (q.actor) parts.push(b.actor ? sql`${b.actor} = ${q.actor}::uuid` : sql`false`);
  return parts.length ? sql`and ${sql.join(parts, sql` and `)}` : sql``;
}

/**
 * The timeline as the staff console reads it: an unknown tenant is NOT_FOUND, the first page also lists who
 * appears in it (for the actor filter), and the read is audited like opening the tenant.
 */
export async function viewTimeline(db: Db, actor: StaffActor, input: TimelineQuery & { orgId: string }) {
  const { orgId, ...q } = input;
  await assertTenant(db, orgId);
  const [page, actors] = await Promise.all([tenantTimeline(db, orgId, q), q.cursor ? null : timelineActors(db, orgId), recordTenantView(db, actor, { orgId })]);
  return { ...page, actors };
}

/** A page of the tenant's timeline, newest first, and the cursor for the next (older) page. */
export async function tenantTimeline(db: DbOrTx, orgId: string, q: TimelineQuery = {}) {
  const limit = q.limit ?? 100;
  const wanted = branches(orgId, limit + 1).filter((b) => !q.kinds?.length || q.kinds.includes(b.kind));
  if (wanted.length === 0) return { entries: [], nextCursor: null };
  const union = sql.join(
    wanted.map((b) => b.select(conditions(q, b))),
    sql` union all `,
  );
  const found = await rows<Raw>(
    db,
    sql`select t.*, to_char(t.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as at_iso,
        u.email as actor_email, u.staff_role::text as actor_staff_role, d.name as deployment_name,
        k.name as api_key_name, k.prefix as api_key_prefix
      from (${union}) as t (key, kind, action, at, actor_id, reason, deployment_id, data)
      left join users u on u.id = t.actor_id
      left join api_keys k on k.id::text = t.data->>'apiKeyId'
      left join deployments d on d.id::text = t.deployment_id
      order by t.at desc, t.key desc
      limit ${limit + 1}`,
  );
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page.map((r) => {
      const data = toJson<Record<string, unknown>>(r.data) ?? {};
      const actor = r.actor_id
        ? {
            id: r.actor_id,
            email: r.actor_email ?? 'deleted user',
            staff: !!r.actor_staff_role && r.actor_staff_role !== 'none',
            // Changes made through an API key name the key (it acts for the member who made it).
            apiKey: r.api_key_prefix ? { name: r.api_key_name ?? '', prefix: r.api_key_prefix } : null,
          }
        : null;
      return {
        key: r.key,
        kind: r.kind,
        action: r.action,
        at: toDate(r.at),
        actor,
        reason: r.reason,
        deployment: r.deployment_id ? { id: r.deployment_id, name: r.deployment_name } : null,
        ...describeEntry(r.action, data),
      };
    }),
    nextCursor: found.length > limit && last ? { at: last.at_iso, key: last.key } : null,
  };
}

export type TimelineEntry = Awaited<ReturnType<typeof tenantTimeline>>['entries'][number];

/** Everyone who appears in the tenant's history, for the timeline's actor filter. */
export async function timelineActors(db: DbOrTx, orgId: string) {
  const found = await rows<{ id: string; email: string; staff_role: string }>(
    db,
    sql`select u.id, u.email, u.staff_role::text as staff_role from users u where u.id in (
        select actor_id from audit_log where org_id = ${orgId}
        union select requested_by from operations where org_id = ${orgId}
        union select actor_id from credit_entries where org_id = ${orgId})
      order by u.email`,
  );
  return found.map((u) => ({ id: u.id, email: u.email, staff: u.staff_role !== 'none' }));
}
