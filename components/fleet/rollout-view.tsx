'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Badge, Card, Section, Stat } from '~/components/ui/card';
import { Table } from '~/components/ui/table';
import { useToast } from '~/components/ui/toast';
import { errorMessage } from '~/lib/errors';
import { STATES, statusTone } from './rollout-list';

const fmt = (d: Date | null) => (d ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : '—');

/** One rollout, live: counts per state and wave, progress, ETA, actions, the deployments that need a look. */
export function RolloutView({ id, admin }: { id: string; admin: boolean }) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const q = useQuery({ ...trpc.staff.fleet.rollout.queryOptions({ rolloutId: id }), refetchInterval: 2000 });
  const opts = (msg: string) => ({ onSuccess: () => (toast('success', msg), queryClient.invalidateQueries()), onError: (e: unknown) => toast('error', errorMessage(e)) });
  const pause = useMutation(trpc.staff.fleet.pause.mutationOptions(opts('Paused.')));
  const resume = useMutation(trpc.staff.fleet.resume.mutationOptions(opts('Resumed; failed upgrades are retried.')));
  const cancel = useMutation(trpc.staff.fleet.cancel.mutationOptions(opts('Cancelling: upgrades in flight finish, the rest stay as they are.')));
  const retry = useMutation(trpc.staff.fleet.retryFailed.mutationOptions(opts('Failed upgrades retried.')));
  const skip = useMutation(trpc.staff.fleet.skip.mutationOptions(opts('Skipped.')));
  if (q.isPending) return <Card className="p-6 text-sm text-slate-500">Loading rollout…</Card>;
  if (q.error) return <Card className="p-6 text-sm text-red-700">{errorMessage(q.error)}</Card>;
  const { rollout: r, waves, totals, total, series, eta, attention } = q.data;
  const series2 = series.map((p) => ({ at: p.at.toISOString().slice(11, 16), done: p.done }));

  return (
    <div className="space-y-6">
      <Card className="p-6">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <p className="text-base font-semibold text-slate-900">
            Redis {r.targetVersion} <span className="text-sm font-normal text-slate-500">({r.severity})</span>{' '}
            <span data-testid="rollout-status"><Badge tone={statusTone[r.status]}>{r.status}</Badge></span>
          </p>
          {admin && (
            <div className="flex flex-wrap gap-2">
              {r.status === 'running' && <Button size="sm" variant="secondary" pending={pause.isPending} onClick={() => pause.mutate({ rolloutId: id })}>Pause</Button>}
              {r.status === 'paused' && <Button size="sm" pending={resume.isPending} onClick={() => resume.mutate({ rolloutId: id })}>Resume</Button>}
              {(totals.failed ?? 0) > 0 && <Button size="sm" variant="secondary" pending={retry.isPending} onClick={() => retry.mutate({ rolloutId: id })}>Retry failures</Button>}
              {(r.status === 'running' || r.status === 'paused') && (
                <Button size="sm" variant="danger" pending={cancel.isPending} onClick={() => window.confirm('Cancel this rollout? Upgrades in flight finish; the rest stay on their version.') && cancel.mutate({ rolloutId: id })}>
                  Cancel
                </Button>
              )}
            </div>
          )}
        </div>
        {r.pausedReason && <p className="mt-2 text-sm text-amber-900" data-testid="paused-reason">{r.pausedReason}</p>}
        <div className="mt-4 grid grid-cols-2 gap-4 sm:grid-cols-4 lg:grid-cols-8">
          <Stat label="deployments">{total}</Stat>
          {STATES.map((s) => (
            <Stat key={s} label={s === 'waiting' ? 'waiting for window' : s} alert={s === 'failed' && (totals.failed ?? 0) > 0}>
              <span data-testid={`count-${s}`}>{totals[s] ?? 0}</span>
            </Stat>
          ))}
          <Stat label="ETA">{fmt(eta)}</Stat>
        </div>
        <p className="mt-3 text-xs text-slate-500">Starts {fmt(r.startsAt)}{r.deadline && <> · deadline {fmt(r.deadline)}</>}</p>
      </Card>
      <Section title="Progress" description="Deployments upgraded, cumulative, per minute.">
        <div className="h-56 p-4" data-testid="progress-chart">
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={series2}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="at" tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} />
              <YAxis domain={[0, total]} tick={{ fontSize: 11, fill: '#64748b' }} tickLine={false} axisLine={false} width={48} />
              <Tooltip />
              <Line type="stepAfter" dataKey="done" stroke="#4f46e5" dot={false} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </Section>
      <Section title="Waves">
        <Table columns={[{ label: 'Wave' }, { label: 'Size' }, { label: 'Concurrency' }, { label: 'Budget' }, ...STATES.map((s) => ({ label: s }))]}>
          {waves.map((w) => (
            <tr key={w.index} data-testid={`wave-${w.index}`}>
              <td className="px-6 py-2 font-medium">{w.name}</td>
              <td className="px-6 py-2">{w.size}</td>
              <td className="px-6 py-2">{w.maxConcurrency}</td>
              <td className="px-6 py-2">{w.failureBudgetPct}%</td>
              {STATES.map((s) => <td key={s} className="px-6 py-2">{w.counts[s] ?? 0}</td>)}
            </tr>
          ))}
        </Table>
      </Section>
      {attention.length > 0 && (
        <Section title="Needs a look" description="Failed, upgrading and skipped deployments, with the version each one runs now.">
          <Table columns={[{ label: 'Deployment' }, { label: 'Tenant' }, { label: 'State' }, { label: 'Runs' }, { label: 'Why' }, { label: '' }]}>
            {attention.map((a) => (
              <tr key={a.deploymentId}>
                <td className="px-6 py-2">{a.name}</td>
                <td className="px-6 py-2">{a.orgName}</td>
                <td className="px-6 py-2">{a.status}</td>
                <td className="px-6 py-2">{a.version ?? a.fromVersion} {a.version === r.targetVersion ? '(new)' : '(old)'}</td>
                <td className="max-w-sm truncate px-6 py-2 text-xs text-slate-600">{a.reason}</td>
                <td className="px-6 py-2">
                  {admin && a.status === 'failed' && <Button size="sm" variant="ghost" onClick={() => skip.mutate({ rolloutId: id, deploymentId: a.deploymentId })}>Skip</Button>}
                </td>
              </tr>
            ))}
          </Table>
        </Section>
      )}
    </div>
  );
}
