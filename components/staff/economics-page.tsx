'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '~/components/providers';
import { Badge, Card, Section, Stat } from '~/components/ui/card';
import { Input } from '~/components/ui/field';
import { errorMessage } from '~/lib/errors';
import { formatMoney } from '~/lib/format';
import type { MarginSort } from '~/lib/inputs/economics';
import { periodPresets, type PeriodPreset } from '~/lib/period';
import { TenantTrend } from './tenant-economics';

const pct = (p: number | null) => (p === null ? '—' : `${p.toFixed(1)}%`);
const columns: Array<{ sort: MarginSort | null; label: string; right?: boolean }> = [
  { sort: 'name', label: 'Tenant' },
  { sort: 'revenue', label: 'Revenue', right: true },
  { sort: 'credits', label: 'Credits used', right: true },
  { sort: 'cost', label: 'Cost', right: true },
  { sort: 'margin', label: 'Margin', right: true },
  { sort: 'marginPct', label: 'Margin %', right: true },
  { sort: null, label: '' },
];

/** Revenue, credits, cost and gross margin per tenant over a period; click a heading to sort, "Trend" to chart one. */
export function EconomicsPage() {
  const trpc = useTRPC();
  const [preset, setPreset] = useState<PeriodPreset | 'custom'>('30d');
  const [period, setPeriod] = useState(() => periodPresets['30d'].make(new Date()));
  const [sort, setSort] = useState<{ by: MarginSort; direction: 'asc' | 'desc' }>({ by: 'margin', direction: 'asc' });
  const [negativeFirst, setNegativeFirst] = useState(false);
  const [selected, setSelected] = useState<{ orgId: string; name: string } | null>(null);
  const q = useQuery({
    ...trpc.staff.economics.report.queryOptions({ period, sort: sort.by, direction: sort.direction, negativeFirst, limit: 100 }),
    placeholderData: keepPreviousData,
  });
  const toggle = (by: MarginSort) => setSort((s) => ({ by, direction: s.by === by && s.direction === 'asc' ? 'desc' : 'asc' }));

  return (
    <div className="space-y-6">
      <Card className="flex flex-wrap items-end gap-3 px-5 py-4">
        <div className="flex gap-1" role="group" aria-label="Period">
          {(Object.keys(periodPresets) as PeriodPreset[]).map((k) => (
            <button
              key={k}
              type="button"
              aria-pressed={preset === k}
              onClick={() => {
                setPreset(k);
                setPeriod(periodPresets[k].make(new Date()));
              }}
              className={`rounded-md px-3 py-1.5 text-sm font-medium ${preset === k ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700 hover:bg-slate-100'}`}
            >
              {periodPresets[k].label}
            </button>
          ))}
        </div>
        <label className="text-xs text-slate-600">
          From
          <Input type="date" value={period.from} max={period.to} onChange={(e) => e.target.value && (setPreset('custom'), setPeriod((p) => ({ ...p, from: e.target.value })))} />
        </label>
        <label className="text-xs text-slate-600">
          To
          <Input type="date" value={period.to} min={period.from} onChange={(e) => e.target.value && (setPreset('custom'), setPeriod((p) => ({ ...p, to: e.target.value })))} />
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
          <input type="checkbox" checked={negativeFirst} onChange={(e) => setNegativeFirst(e.target.checked)} className="size-4 rounded border-slate-300" />
          Negative margin first
        </label>
      </Card>

      {q.isPending ? (
        <Card className="p-6 text-sm text-slate-500">Loading unit economics…</Card>
      ) : q.error ? (
        <Card className="p-6 text-sm text-red-600">{errorMessage(q.error)}</Card>
      ) : (
        <>
          <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="fleet-totals">
            {q.data.fleet.length === 0 && <Stat label="Fleet">No metered cost or revenue in this period.</Stat>}
            {q.data.fleet.map((f) => (
              <Stat key={f.currency} size="lg" label={`Fleet margin (${f.currency.toUpperCase()})`} alert={f.negative} hint={`${formatMoney(f.revenueCents, f.currency)} revenue − ${formatMoney(f.creditsConsumedCents, f.currency)} credits − ${formatMoney(f.costCents, f.currency)} cost · ${pct(f.marginPct)} · ${f.negativeTenants} of ${f.tenants} tenants negative`}>
                {formatMoney(f.marginCents, f.currency)}
              </Stat>
            ))}
          </div>

          <Section size="sm" title="Tenants" aside={<span className="text-xs text-slate-500">{q.data.tenantCount} with activity · {q.data.negativeCount} negative{q.data.tenantCount > q.data.tenants.length ? ` · first ${q.data.tenants.length} shown` : ''}</span>}>
            {q.data.tenants.length === 0 ? (
              <p className="px-5 py-4 text-sm text-slate-500">No tenant had metered cost, revenue or credits in this period. Choose a longer period, or wait for the billing job to meter the hours.</p>
            ) : (
              <div className="overflow-x-auto">
                <table className="w-full text-left text-sm" data-testid="economics-table">
                  <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
                    <tr>
                      {columns.map((c) => (
                        <th key={c.label || 'actions'} className={`px-5 py-3 font-medium ${c.right ? 'text-right' : ''}`} aria-sort={c.sort && sort.by === c.sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
                          {c.sort ? (
                            <button type="button" onClick={() => toggle(c.sort!)} className="uppercase hover:text-slate-900">
                              {c.label}
                              {sort.by === c.sort ? (sort.direction === 'asc' ? ' ↑' : ' ↓') : ''}
                            </button>
                          ) : (
                            c.label
                          )}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-slate-100">
                    {q.data.tenants.map((r) => (
                      <tr key={r.orgId} className={r.negative ? 'bg-red-50/40' : ''} data-testid="economics-row">
                        <td className="px-5 py-3">
                          <Link href={`/admin/tenants/${r.orgId}`} prefetch={false} className="font-medium text-indigo-700 hover:text-indigo-600">
                            {r.name}
                          </Link>{' '}
                          {r.negative && <Badge tone="red">Negative margin</Badge>}
                          <div className="text-xs text-slate-500">{[...r.plans, ...r.regions].join(' · ') || 'credits only'}</div>
                        </td>
                        <td className="px-5 py-3 text-right tabular-nums">
                          {formatMoney(r.revenueCents, r.currency)}
                          <div className="text-xs text-slate-500">{formatMoney(r.invoicedCents, r.currency)} invoiced · {formatMoney(r.accruingCents, r.currency)} accruing</div>
                        </td>
                        <td className="px-5 py-3 text-right tabular-nums">
                          {formatMoney(r.creditsConsumedCents, r.currency)}
                          <div className="text-xs text-slate-500">{formatMoney(r.creditsGrantedCents, r.currency)} granted</div>
                        </td>
                        <td className="px-5 py-3 text-right tabular-nums">{formatMoney(r.costCents, r.currency)}</td>
                        <td className={`px-5 py-3 text-right font-medium tabular-nums ${r.negative ? 'text-red-700' : 'text-slate-900'}`} data-testid="economics-margin">
                          {formatMoney(r.marginCents, r.currency)}
                        </td>
                        <td className="px-5 py-3 text-right tabular-nums">{pct(r.marginPct)}</td>
                        <td className="px-5 py-3 text-right">
                          <button type="button" onClick={() => setSelected({ orgId: r.orgId, name: r.name })} className="text-sm font-medium text-indigo-700 hover:text-indigo-600">
                            Trend
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </Section>

          {selected && (
            <Section size="sm" title={`${selected.name}: daily revenue, cost and margin`} aside={<button type="button" onClick={() => setSelected(null)} className="text-xs text-slate-600 hover:text-slate-900">Close</button>}>
              <TenantTrend orgId={selected.orgId} period={period} />
            </Section>
          )}

          <div className="grid items-start gap-6 lg:grid-cols-2">
            <Breakdown title="By plan" rows={q.data.byPlan} />
            <Breakdown title="By region" rows={q.data.byRegion} />
          </div>
        </>
      )}
    </div>
  );
}

type BreakdownRow = { key: string; revenueCents: number; costCents: number; marginCents: number; marginPct: number | null; negative: boolean };

/** Gross margin by plan or region (before credits, which belong to tenants, not plans). */
function Breakdown({ title, rows }: { title: string; rows: BreakdownRow[] }) {
  return (
    <Section size="sm" title={title} aside={<span className="text-xs text-slate-500">before credits</span>}>
      {rows.length === 0 ? (
        <p className="px-5 py-4 text-sm text-slate-500">Nothing metered in this period.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {rows.map((r) => (
            <li key={r.key} className="flex items-center justify-between gap-3 px-5 py-2.5 text-sm">
              <span className="font-medium text-slate-900">{r.key}</span>
              <span className="text-right tabular-nums">
                <span className={r.negative ? 'text-red-700' : 'text-slate-900'}>{formatMoney(r.marginCents)}</span>
                <span className="ml-2 text-xs text-slate-500">
                  {formatMoney(r.revenueCents)} − {formatMoney(r.costCents)} · {pct(r.marginPct)}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
