'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { errorMessage } from '~/lib/errors';
import { METRIC_RANGES, type MetricRange } from '~/lib/metrics';

const tick = (range: MetricRange) => (t: number) =>
  new Date(t).toLocaleString('en-GB', range === '7d' ? { day: '2-digit', month: 'short' } : { hour: '2-digit', minute: '2-digit' });

/** Memory, operations, clients and hit ratio over 1 h / 24 h / 7 d, with loading, empty and error states. */
export function MetricsCharts({ deploymentId }: { deploymentId: string }) {
  const trpc = useTRPC();
  const { org } = useOrg();
  const [range, setRange] = useState<MetricRange>('1h');
  const q = useQuery({ ...trpc.deployments.metrics.queryOptions({ orgId: org.id, deploymentId, range }), refetchInterval: 60_000 });
  return (
    <div className="p-6" data-testid="metrics">
      <div className="mb-4 flex gap-2" role="tablist" aria-label="Metrics range">
        {(Object.keys(METRIC_RANGES) as MetricRange[]).map((r) => (
          <button
            key={r}
            role="tab"
            aria-selected={r === range}
            onClick={() => setRange(r)}
            className={`rounded-md px-3 py-1 text-sm font-medium ${r === range ? 'bg-indigo-600 text-white' : 'bg-slate-100 text-slate-700 hover:bg-slate-200'}`}
          >
            {r}
          </button>
        ))}
      </div>
      {q.isPending ? (
        <p className="text-sm text-slate-500">Loading metrics…</p>
      ) : q.error ? (
        <p role="alert" className="text-sm text-red-600">
          {errorMessage(q.error)}
        </p>
      ) : q.data.metrics.length === 0 || q.data.metrics.every((m) => m.points.length === 0) ? (
        <p className="text-sm text-slate-500">No metrics yet. They appear once the deployment has been running for a minute (real deployments need PROMETHEUS_URL).</p>
      ) : (
        <div className="grid gap-6 md:grid-cols-2">
          {q.data.metrics.map((m) => (
            <figure key={m.key} data-testid={`metric-${m.key}`}>
              <figcaption className="mb-1 text-xs text-slate-500">
                {m.label} ({m.unit})
              </figcaption>
              <div className="h-40">
                <ResponsiveContainer width="100%" height="100%">
                  <LineChart data={m.points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
                    <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={tick(range)} tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} minTickGap={32} />
                    <YAxis tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={48} />
                    <Tooltip labelFormatter={(t) => new Date(Number(t)).toLocaleString()} formatter={(v) => [`${Number(v).toLocaleString('en-US', { maximumFractionDigits: 1 })} ${m.unit}`, m.label]} />
                    <Line dataKey="v" stroke="#4f46e5" dot={false} strokeWidth={1.5} isAnimationActive={false} />
                  </LineChart>
                </ResponsiveContainer>
              </div>
            </figure>
          ))}
        </div>
      )}
    </div>
  );
}
