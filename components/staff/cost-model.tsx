'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Card, Section } from '~/components/ui/card';
import { Field, Input } from '~/components/ui/field';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { formatDate, formatRate } from '~/lib/format';
import { ActionDialog } from './action-dialog';
import { useTenantAction } from './use-tenant-action';

/** Figures are kept in hundredths of a cent; shown as dollars with sub-cent precision. */
const rate = (centiCents: number) => formatRate(centiCents / 100);
const figureFields = [
  { name: 'computeCentiCentsPerHour', label: 'Compute per hour' },
  { name: 'storageCentiCentsPerGbHour', label: 'Storage per GB-hour' },
  { name: 'sharedClusterCentiCentsPerHour', label: 'Shared-cluster share per hour' },
  { name: 'overheadCentiCentsPerHour', label: 'Overhead per deployment-hour' },
] as const;

/** The cost model per plan and region: what is in effect now, what is scheduled; admins add changes. */
export function CostModel({ admin }: { admin: boolean }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.staff.economics.costModel.queryOptions());
  if (q.isPending) return <Card className="p-6 text-sm text-slate-500">Loading the cost model…</Card>;
  if (q.error) return <Card className="p-6 text-sm text-red-600">{errorMessage(q.error)}</Card>;
  return (
    <Section size="sm" title="Cost model" description="Per deployment of each plan in each region, in effect from the time shown. Changes apply from their effective time; hours already metered keep their figures." aside={admin ? <ChangeCost cells={q.data.cells} /> : <span className="text-xs text-slate-500">admins change it</span>}>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="cost-model">
          <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
            <tr>
              <th className="px-5 py-3 font-medium">Plan · region</th>
              {figureFields.map((f) => (
                <th key={f.name} className="px-5 py-3 text-right font-medium">{f.label}</th>
              ))}
              <th className="px-5 py-3 font-medium">Since</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {q.data.cells.map((c) => (
              <tr key={`${c.plan.slug}/${c.region.id}`}>
                <td className="px-5 py-2.5">
                  <span className="font-medium text-slate-900">{c.plan.name}</span> <span className="text-xs text-slate-500">{c.plan.tier} · {c.region.id}</span>
                </td>
                {figureFields.map((f) => (
                  <td key={f.name} className="px-5 py-2.5 text-right tabular-nums">{c.current ? rate(c.current[f.name]) : '—'}</td>
                ))}
                <td className="px-5 py-2.5 text-xs text-slate-500">
                  {c.current ? formatDate(c.current.effectiveFrom) : 'no figures: costs nothing'}
                  {c.scheduled.length > 0 && <div className="text-amber-700">change scheduled {formatDate(c.scheduled[0]!.effectiveFrom, 'dateTime')}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

type Cell = { plan: { slug: string; name: string }; region: { id: string }; current: Record<(typeof figureFields)[number]['name'], number> | null };

function ChangeCost({ cells }: { cells: Cell[] }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const [cell, setCell] = useState(0);
  const set = useMutation(trpc.staff.economics.setCostRate.mutationOptions({ onSuccess: () => a.done('Cost model updated.') }));
  const errors = fieldErrors(set.error);
  const c = cells[cell];
  return (
    <>
      <Button size="sm" onClick={() => (set.reset(), a.show())}>Change a cost</Button>
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title="Change the cost model"
        confirmLabel="Save change"
        pending={set.isPending}
        error={set.error}
        summary="A new row from its effective time; earlier hours keep the figures they were metered with."
        onConfirm={(reason, form) => {
          const n = (k: string) => Number(form.get(k));
          const when = String(form.get('effectiveFrom') ?? '');
          set.mutate({
            planSlug: c?.plan.slug ?? '',
            region: c?.region.id ?? '',
            computeCentiCentsPerHour: n('computeCentiCentsPerHour'),
            storageCentiCentsPerGbHour: n('storageCentiCentsPerGbHour'),
            sharedClusterCentiCentsPerHour: n('sharedClusterCentiCentsPerHour'),
            overheadCentiCentsPerHour: n('overheadCentiCentsPerHour'),
            effectiveFrom: when ? new Date(`${when}:00Z`) : null,
            reason,
            confirm: true,
          });
        }}
      >
        <Field id="cost-cell" label="Plan and region">
          <select id="cost-cell" value={cell} onChange={(e) => setCell(Number(e.target.value))} className="block w-full rounded-md px-3 py-2 text-sm outline-1 outline-slate-300">
            {cells.map((x, i) => (
              <option key={`${x.plan.slug}/${x.region.id}`} value={i}>
                {x.plan.name} · {x.region.id}
              </option>
            ))}
          </select>
        </Field>
        {figureFields.map((f) => (
          <Field key={`${cell}:${f.name}`} id={f.name} label={`${f.label} (hundredths of a cent)`} error={errors[f.name]}>
            <Input id={f.name} name={f.name} type="number" min={0} step={1} defaultValue={c?.current?.[f.name] ?? 0} invalid={!!errors[f.name]} />
          </Field>
        ))}
        <Field id="effectiveFrom" label="Effective from (UTC)" hint="Leave empty for now. Never in the past." error={errors.effectiveFrom}>
          <Input id="effectiveFrom" name="effectiveFrom" type="datetime-local" invalid={!!errors.effectiveFrom} />
        </Field>
      </ActionDialog>
    </>
  );
}
