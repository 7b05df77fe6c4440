import { Badge } from '~/components/ui/card';
import { formatDate, formatMoney } from '~/lib/format';
import type { TenantDetail } from '~/server/services/tenants/detail';

const monthYear = (d: Date) => formatDate(d, 'month');
const empty = (text: string) => <p className="px-5 py-4 text-sm text-slate-500">{text}</p>;

export function Members({ t }: { t: TenantDetail }) {
  return (
    <>
      {t.members.length === 0 ? (
        empty('No members. The last one left or was removed; the organization stays for its history.')
      ) : (
        <ul className="divide-y divide-slate-100">
          {t.members.map((m) => (
            <li key={m.userId} className="flex items-center justify-between gap-3 px-5 py-2.5 text-sm" data-testid={`tenant-member-${m.email}`}>
              <div className="min-w-0">
                <div className="truncate text-slate-900">{m.email}</div>
                <div className="text-xs text-slate-500">joined {formatDate(m.joinedAt)}</div>
              </div>
              <Badge tone={m.role === 'owner' ? 'indigo' : 'slate'}>{m.role}</Badge>
            </li>
          ))}
        </ul>
      )}
      {t.pendingInvitations.length > 0 && (
        <div className="border-t border-slate-100 px-5 py-3 text-xs text-slate-600">
          {t.pendingInvitations.length} pending invitation{t.pendingInvitations.length === 1 ? '' : 's'}:{' '}
          {t.pendingInvitations.map((i) => `${i.email ?? 'link'} as ${i.role}`).join(', ')}
        </div>
      )}
    </>
  );
}

const meterLabel = (m: string) => (m === 'deployment_hours' ? 'Deployment-hours' : m === 'storage_gb_hours' ? 'Storage GB-hours' : m.replace(/_/g, ' '));

export function Usage({ t }: { t: TenantDetail }) {
  if (t.usage.length === 0) return empty('No metered usage in the last three months.');
  return (
    <ul className="divide-y divide-slate-100">
      {t.usage.map((u) => (
        <li key={`${u.month}-${u.meter}`} className="flex items-center justify-between gap-3 px-5 py-2.5 text-sm">
          <div>
            <div className="text-slate-900">{meterLabel(u.meter)}</div>
            <div className="text-xs text-slate-500">
              {monthYear(u.month)} · {u.quantity.toLocaleString('en-US', { maximumFractionDigits: 1 })} · {u.deployments} deployment{u.deployments === 1 ? '' : 's'}
            </div>
          </div>
          <span className="tabular-nums">{formatMoney(Math.round(u.amountCents))}</span>
        </li>
      ))}
    </ul>
  );
}

export function Invoices({ t }: { t: TenantDetail }) {
  if (t.invoices.length === 0) return empty('No invoices yet. The first is issued when the tenant’s first month closes.');
  return (
    <ul className="divide-y divide-slate-100">
      {t.invoices.map((i) => (
        <li key={i.id} className="flex items-center justify-between gap-3 px-5 py-2.5 text-sm">
          <div>
            <div className="text-slate-900">{monthYear(i.periodStart)}</div>
            <div className="text-xs text-slate-500">
              {i.creditsAppliedCents > 0 ? `${formatMoney(i.creditsAppliedCents, i.currency)} credit applied · ` : ''}
              {i.paidAt ? `paid ${formatDate(i.paidAt)}` : 'not paid'}
            </div>
          </div>
          <div className="flex items-center gap-2">
            <span className="tabular-nums">{formatMoney(i.totalCents, i.currency)}</span>
            <Badge tone={i.status === 'paid' ? 'emerald' : i.status === 'open' ? 'amber' : 'slate'}>{i.status}</Badge>
          </div>
        </li>
      ))}
    </ul>
  );
}

export function Credits({ t }: { t: TenantDetail }) {
  if (t.credits.length === 0) return empty('No credits issued. Credits an admin issues appear here with their reason.');
  return (
    <ul className="divide-y divide-slate-100" data-testid="tenant-credits">
      {t.credits.map((c) => (
        <li key={c.id} className="flex items-start justify-between gap-3 px-5 py-2.5 text-sm">
          <div className="min-w-0">
            <div className="text-slate-900">{c.reason}</div>
            <div className="text-xs text-slate-500">
              {c.kind} · {formatDate(c.createdAt)}
              {c.actorEmail ? ` · by ${c.actorEmail}` : ''}
              {c.expiresAt ? ` · expires ${formatDate(c.expiresAt)}` : ''}
            </div>
          </div>
          <span className={`tabular-nums ${c.amountCents > 0 ? 'text-emerald-700' : 'text-slate-700'}`}>{formatMoney(c.amountCents, c.currency)}</span>
        </li>
      ))}
    </ul>
  );
}
