'use client';

import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatMoney } from '~/lib/format';

export type TrendPoint = { day: string; revenueCents: number; costCents: number; marginCents: number };

/** Daily revenue, cost and margin of one tenant (the margin line dips below zero on the days it loses money). */
export function MarginTrendChart({ data, currency }: { data: TrendPoint[]; currency: string }) {
  if (data.length === 0) return <p className="px-5 py-4 text-sm text-slate-500">No cost or revenue in this period yet. Figures appear as hours are metered.</p>;
  return (
    <div className="h-64 px-2 py-3" data-testid="margin-trend">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={data.map((d) => ({ ...d, label: d.day.slice(5) }))} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
          <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={64} tickFormatter={(v) => formatMoney(Number(v), currency)} />
          <Tooltip formatter={(v, name) => [formatMoney(Number(v), currency), String(name)]} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line type="monotone" dataKey="revenueCents" name="Revenue" stroke="#4f46e5" dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="costCents" name="Cost" stroke="#d97706" dot={false} isAnimationActive={false} />
          <Line type="monotone" dataKey="marginCents" name="Margin" stroke="#059669" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
