'use client';

import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Card, EmptyState } from '~/components/ui/card';
import { Icon } from '~/components/ui/icons';
import { Select } from '~/components/ui/field';
import { formatDate, formatMoney } from '~/lib/format';
import { usageRanges, usageWindow } from '~/lib/inputs/billing';
import { UsageChart } from './usage-chart';
import { QueryError } from '~/components/ui/page-states';
import { stackOnPhone } from '~/components/ui/table';

const ranges = usageRanges;
const metrics = {
  hours: { label: 'Deployment-hours', unit: 'h' },
  gb: { label: 'Storage GB-hours', unit: 'GB-h' },
  cost: { label: 'Cost (USD)', unit: 'USD' },
} as const;

const fmt = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });

export function UsagePage() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const [rangeKey, setRangeKey] = useState<keyof typeof ranges>('24h');
  const [metric, setMetric] = useState<keyof typeof metrics>('hours');
  const range = ranges[rangeKey];
  const { from, to } = useMemo(() => usageWindow(rangeKey), [rangeKey]);
  const q = useQuery({ ...trpc.billing.usage.queryOptions({ orgId: org.id, range: { from, to, granularity: range.granularity } }), refetchInterval: 5000 });

  const header = (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight text-slate-900">Usage</h1>
        <p className="mt-1 text-sm text-slate-600">Metered every hour from each deployment’s running time; the current hour grows as it runs.</p>
      </div>
      <div className="flex w-full flex-wrap gap-2 sm:w-auto">
        <div className="w-full sm:w-60">
        <Select aria-label="Range" value={rangeKey} onChange={(e) => setRangeKey(e.target.value as keyof typeof ranges)}>
          {Object.entries(ranges).map(([k, r]) => (
            <option key={k} value={k}>{r.label}</option>
          ))}
        </Select>
        </div>
        <div className="w-full sm:w-48">
        <Select aria-label="Metric" value={metric} onChange={(e) => setMetric(e.target.value as keyof typeof metrics)}>
          {Object.entries(metrics).map(([k, m]) => (
            <option key={k} value={k}>{m.label}</option>
          ))}
        </Select>
        </div>
      </div>
    </div>
  );
  if (q.isPending) return <>{header}<Card className="p-6 text-sm text-slate-500">Loading usage…</Card></>;
  if (q.error) return <>{header}<QueryError error={q.error} retry={q.refetch} /></>;

  const buckets = new Map<number, { hours: number; gb: number; cost: number }>();
  for (const p of q.data.series) {
    const key = new Date(p.at).getTime();
    const b = buckets.get(key) ?? { hours: 0, gb: 0, cost: 0 };
    if (p.meter === 'deployment_hours') b.hours += p.quantity;
    else b.gb += p.quantity;
    b.cost += p.amountCentiCents / 10_000;
    buckets.set(key, b);
  }
  const label = (t: number) => formatDate(new Date(t), range.granularity === 'hour' ? 'dayHour' : 'day');
  // Every bucket of the range is drawn, empty ones as zero, so the chart shows when nothing ran too.
  const step = range.granularity === 'hour' ? 3_600_000 : 86_400_000;
  const first = Math.floor(from.getTime() / step) * step;
  const data: Array<{ label: string; value: number }> = [];
  for (let t = first; t < to.getTime() - (range.granularity === 'hour' ? step : 0); t += step) {
    data.push({ label: label(t), value: buckets.get(t)?.[metric] ?? 0 });
  }
  const hasUsage = buckets.size > 0;
  const totals = [...buckets.values()].reduce((a, b) => ({ hours: a.hours + b.hours, gb: a.gb + b.gb, cost: a.cost + b.cost }), { hours: 0, gb: 0, cost: 0 });

  return (
    <>
      {header}
      <div className="mb-6 grid grid-cols-1 gap-4 sm:grid-cols-3">
        {[
          ['Deployment-hours', `${fmt(totals.hours, 3)} h`, 'total-hours'],
          ['Storage', `${fmt(totals.gb, 3)} GB-hours`, 'total-gb'],
          ['Usage charges', formatMoney(Math.round(totals.cost * 100)), 'total-cost'],
        ].map(([k, v, id]) => (
          <Card key={k} className="p-5">
            <p className="text-xs text-slate-500">{k}</p>
            <p className="mt-1 text-2xl font-semibold text-slate-900 tabular-nums" data-testid={id}>{v}</p>
          </Card>
        ))}
      </div>
      {!hasUsage ? (
        <EmptyState icon={<Icon name="chart" />} title="No usage in this range">
          Usage appears once a deployment is ready: its deployment-hours and storage GB-hours are metered every hour, by deployment and by meter.
        </EmptyState>
      ) : (
        <>
          <Card className="p-6">
            <UsageChart data={data} unit={metrics[metric].unit} series={metrics[metric].label} />
          </Card>
          <Card className="mt-6">
            <table className={`w-full text-left text-sm ${stackOnPhone}`} data-testid="usage-by-deployment">
              <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
                <tr>
                  <th className="px-6 py-3 font-medium">Deployment</th>
                  <th className="px-6 py-3 text-right font-medium">Hours</th>
                  <th className="px-6 py-3 text-right font-medium">GB-hours</th>
                  <th className="px-6 py-3 text-right font-medium">Charges</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {q.data.byDeployment.map((d) => (
                  <tr key={d.deploymentId}>
                    <td className="px-6 py-2 font-medium text-slate-900">{d.name}</td>
                    {/* Stacked on a phone, each value says what it is (the column headings are for screen readers there). */}
                    <td className="px-6 py-2 text-right tabular-nums"><span className="float-left text-slate-600 sm:hidden">Hours</span>{fmt(d.hours, 3)}</td>
                    <td className="px-6 py-2 text-right tabular-nums"><span className="float-left text-slate-600 sm:hidden">GB-hours</span>{fmt(d.gbHours, 3)}</td>
                    <td className="px-6 py-2 text-right tabular-nums"><span className="float-left text-slate-600 sm:hidden">Charges</span>{formatMoney(Math.round(d.amountCentiCents / 100))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Card>
        </>
      )}
    </>
  );
}
