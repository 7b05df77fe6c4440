import Link from 'next/link';
import { Badge } from '~/components/ui/card';
import { formatDate, formatMoney } from '~/lib/format';
import type { TenantRow } from '~/server/services/tenants/list';
import { PhaseCounts } from './phase-counts';
import { Table } from '~/components/ui/table';

const monthYear = (d: Date | null) => (d ? formatDate(d, 'month') : '');

export function TenantTable({ tenants }: { tenants: TenantRow[] }) {
  return (
    <Table dense columns={[{ label: 'Organization' }, { label: 'Members', className: 'text-right' }, { label: 'Deployments' }, { label: 'Last invoice' }, { label: 'Plan MRR', className: 'text-right' }, { label: 'Credit', className: 'text-right' }, { label: 'Created' }]}>
      {tenants.map((o) => (
        <tr key={o.id} data-testid={`tenant-${o.slug}`} className="align-top hover:bg-slate-50">
          <td className="px-5 py-3">
            <div className="flex items-center gap-2">
              <Link href={`/admin/tenants/${o.id}`} prefetch={false} className="font-medium text-indigo-700 hover:text-indigo-600">
                {o.name}
              </Link>
              {o.status === 'suspended' && <Badge tone="amber">suspended</Badge>}
              {o.paymentStatus === 'past_due' && <Badge tone="red">past due</Badge>}
            </div>
            <div className="font-mono text-xs text-slate-500">{o.slug}</div>
          </td>
          <td className="px-5 py-3 text-right tabular-nums">{o.members}</td>
          <td className="px-5 py-3">
            <PhaseCounts phases={o.phases} />
          </td>
          <td className="px-5 py-3">
            {o.lastInvoice ? (
              <>
                <span className="tabular-nums">{formatMoney(o.lastInvoice.totalCents, o.lastInvoice.currency)}</span>{' '}
                <span className="text-xs text-slate-500">
                  {o.lastInvoice.status} · {monthYear(o.lastInvoice.periodStart)}
                </span>
              </>
            ) : (
              <span className="text-slate-500">no invoice yet</span>
            )}
          </td>
          <td className="px-5 py-3 text-right tabular-nums">{o.mrrCents ? formatMoney(o.mrrCents) : <span className="text-slate-500">$0</span>}</td>
          <td className="px-5 py-3 text-right tabular-nums">{o.creditCents ? formatMoney(o.creditCents) : <span className="text-slate-500">—</span>}</td>
          <td className="px-5 py-3 whitespace-nowrap text-slate-600">{formatDate(o.createdAt)}</td>
        </tr>
      ))}
    </Table>
  );
}
