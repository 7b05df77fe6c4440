'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/components/providers';
import { errorMessage } from '~/lib/errors';
import { formatMoney } from '~/lib/format';
import { periodPresets } from '~/lib/period';
import { MarginTrendChart } from './margin-trend-chart';

type Period = { from: string; to: string };

/** One tenant's daily revenue, cost and margin over the period. */
export function TenantTrend({ orgId, period }: { orgId: string; period: Period }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.staff.economics.tenant.queryOptions({ orgId, period }));
  if (q.isPending) return <p className="px-5 py-4 text-sm text-slate-500">Loading the trend…</p>;
  if (q.error) return <p className="px-5 py-4 text-sm text-red-600">{errorMessage(q.error)}</p>;
  if (!q.data) return <p className="px-5 py-4 text-sm text-slate-500">This tenant no longer exists.</p>;
  return <MarginTrendChart data={q.data.trend} currency={q.data.summary.currency} />;
}

/**
 * The tenant page's economics, beside its timeline: this month's (or the last 30 days') revenue, cost and margin,
 * the daily trend, and cost per deployment — on the shared tier, per namespace.
 */
export function TenantEconomics({ orgId }: { orgId: string }) {
  const trpc = useTRPC();
  const [period] = useState(() => periodPresets['30d'].make(new Date()));
  const q = useQuery(trpc.staff.economics.tenant.queryOptions({ orgId, period }));
  if (q.isPending) return <p className="px-5 py-4 text-sm text-slate-500">Loading unit economics…</p>;
  if (q.error) return <p className="px-5 py-4 text-sm text-red-600">{errorMessage(q.error)}</p>;
  if (!q.data) return null;
  const { summary: s, deployments } = q.data;
  const money = (c: number) => formatMoney(c, s.currency);
  return (
    <div data-testid="tenant-economics">
      <dl className="grid grid-cols-3 gap-3 px-5 py-3 text-sm">
        <div>
          <dt className="text-xs text-slate-500">Revenue</dt>
          <dd className="tabular-nums">{money(s.revenueCents)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Cost</dt>
          <dd className="tabular-nums">{money(s.costCents)}</dd>
        </div>
        <div>
          <dt className="text-xs text-slate-500">Margin</dt>
          <dd className={`font-medium tabular-nums ${s.negative ? 'text-red-700' : 'text-slate-900'}`}>
            {money(s.marginCents)} {s.marginPct !== null && <span className="text-xs font-normal text-slate-500">({s.marginPct.toFixed(1)}%)</span>}
          </dd>
        </div>
      </dl>
      <p className="px-5 text-xs text-slate-500">
        Last 30 days · {money(s.invoicedCents)} invoiced, {money(s.accruingCents)} accruing · credits {money(s.creditsConsumedCents)} used of {money(s.creditsGrantedCents)} granted
      </p>
      <MarginTrendChart data={q.data.trend} currency={s.currency} />
      {deployments.length > 0 && (
        <ul className="divide-y divide-slate-100 border-t border-slate-100">
          {deployments.map((d) => (
            <li key={`${d.deploymentId}:${d.planSlug}`} className="flex justify-between gap-3 px-5 py-2 text-sm">
              <span>
                {d.name} <span className="text-xs text-slate-500">{d.tier === 'shared' ? 'shared namespace' : d.tier} · {d.planSlug} · {d.region} · {d.hours} h</span>
              </span>
              <span className="tabular-nums">{money(d.costCents)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
