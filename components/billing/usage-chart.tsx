'use client';

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export type Point = { label: string; value: number };

/** `series` names what the bars measure, in the tooltip next to each value ("Deployment-hours: 0.025 h"). */
export function UsageChart({ data, unit, series }: { data: Point[]; unit: string; series: string }) {
  return (
    <div className="h-72" data-testid="usage-chart">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={56} />
          <Tooltip
            formatter={(v) => [`${Number(v).toLocaleString('en-US', { maximumFractionDigits: 3 })} ${unit}`, series]}
            cursor={{ fill: 'var(--color-indigo-50)' }}
            contentStyle={{ background: 'var(--color-white)', borderColor: 'var(--color-slate-200)', color: 'var(--color-slate-900)' }}
          />
          <Bar dataKey="value" fill="#4f46e5" radius={[3, 3, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
