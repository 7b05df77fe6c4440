'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '~/components/providers';
import { Card, Section, Stat } from '~/components/ui/card';
import { ThroughputChart } from './throughput-chart';
import { QueryError } from '~/components/ui/page-states';

const ago = (d: Date | null, now: Date) => {
  if (!d) return '—';
  const s = Math.round((now.getTime() - new Date(d).getTime()) / 1000);
  const abs = Math.abs(s);
  const text = abs < 90 ? `${abs} s` : abs < 5400 ? `${Math.round(abs / 60)} min` : `${Math.round(abs / 3600)} h`;
  return s >= 0 ? `${text} ago` : `in ${text}`;
};

const tenantLink = (d: { orgId: string; orgName: string; name: string }) => (
  <Link href={`/admin/tenants/${d.orgId}`} prefetch={false} className="font-medium text-indigo-700 hover:text-indigo-600">
    {d.orgName} / {d.name}
  </Link>
);

/** Polls every 5 s: this is the page someone has open while the queue drains. */
const workerStatus = {
  busy: 'busy',
  idle: 'idle (alive, nothing to do)',
  stopped: 'stopped cleanly',
  dead: 'silent — not seen for three heartbeats; its leases expire and another worker takes over',
} as const;

export function ReconcilerHealth() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.staff.reconciler.health.queryOptions(), refetchInterval: 5000 });
  if (q.isPending) return <Card className="p-6 text-sm text-slate-500">Loading reconciler health…</Card>;
  if (q.error) return <QueryError error={q.error} retry={q.refetch} />;
  const h = q.data;
  const now = new Date(h.now);
  const oldest = h.oldestDue[0];
  return (
    <div className="space-y-6">
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat size="lg" label="Queue depth (due now)" hint={`${h.queue.scheduled} scheduled later · ${h.queue.live} live deployments`} alert={h.queue.due > 50}>
          {h.queue.due}
        </Stat>
        <Stat size="lg" label="Oldest due item" hint={oldest ? `${oldest.orgName} / ${oldest.name}` : 'nothing is waiting'} alert={!!oldest && now.getTime() - new Date(oldest.at!).getTime() > 60_000}>
          {oldest ? ago(oldest.at, now).replace(' ago', '') : '—'}
        </Stat>
        <Stat size="lg" label="Leases held" hint={`${h.workers.length} worker${h.workers.length === 1 ? '' : 's'}${h.queue.expiredLeases ? ` · ${h.queue.expiredLeases} expired` : ''}`}>
          {h.queue.leased}
        </Stat>
        <Stat size="lg" label="Failed" hint="deployments in the failed phase" alert={h.failed.length > 0}>
          {h.failed.length}
        </Stat>
      </div>

      <Section size="sm" title="Throughput, last hour" aside={<span className="text-xs text-slate-500">{h.throughput.readyLastHour} ready · {h.throughput.deletedLastHour} deleted · {h.throughput.errorsLastHour} errors</span>}>
        <ThroughputChart minutes={h.throughput.minutes} />
      </Section>

      <Section size="sm" title="Degraded and drifted" aside={<span className="text-xs text-slate-500">found by continuous resync</span>}>
        {h.attention.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-500">Nothing degraded or drifted. Deployments unhealthy past the threshold, or changed outside Plinth on a notify plan, appear here.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="attention">
            {h.attention.map((d) => (
              <li key={d.id} className="px-5 py-3 text-sm">
                <div className="flex justify-between gap-3">
                  {tenantLink(d)}
                  <span className="text-xs text-slate-500">{ago(d.at, now)}</span>
                </div>
                {d.degraded && (
                  <p className="mt-1 text-red-700">
                    Degraded since {ago(new Date(d.degraded.since), now)}: {d.degraded.message} · {d.degraded.recoveries} recovery action{d.degraded.recoveries === 1 ? '' : 's'}
                  </p>
                )}
                {d.drifted && <p className="mt-1 text-amber-800">Drifted: {d.drifted.message}</p>}
              </li>
            ))}
          </ul>
        )}
      </Section>

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <Section size="sm" title="Failed deployments">
          {h.failed.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-500">No failed deployments. Ones that fail terminally, or keep failing, appear here with their reason.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {h.failed.map((d) => (
                <li key={d.id} className="px-5 py-3 text-sm">
                  <div className="flex justify-between gap-3">
                    {tenantLink(d)}
                    <span className="text-xs text-slate-500">{d.attempts} attempt{d.attempts === 1 ? '' : 's'} · {ago(d.at, now)}</span>
                  </div>
                  <p className="mt-1 text-red-700">{d.lastError ?? 'no error recorded'}</p>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section size="sm" title="Workers and their leases">
          {h.workers.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-500">No worker has been seen in the last day. Start one (`npm run worker`, or `npm start` runs one inside the web process).</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {h.workers.map((w) => (
                <li key={w.owner} className="px-5 py-3 text-sm" data-testid={`worker-${w.status}`}>
                  <div className="flex flex-wrap items-center gap-2 font-mono text-xs text-slate-900">
                    <span className={`size-2 rounded-full ${w.live ? 'bg-emerald-500' : w.status === 'dead' ? 'bg-red-500' : 'bg-slate-300'}`} aria-hidden />
                    <span className="break-all">{w.owner}</span>
                    <span className="font-sans text-slate-600">
                      {workerStatus[w.status]}
                      {w.lastSeenAt ? ` · last seen ${ago(w.lastSeenAt, now)}` : ''}
                      {w.passes !== null ? ` · ${w.passes} passes` : ''}
                    </span>
                  </div>
                  <ul className="mt-1 space-y-0.5 pl-4 text-xs text-slate-600">
                    {w.leases.map((l) => (
                      <li key={l.id}>
                        {tenantLink(l)} · {l.phase} · lease {l.leaseExpiresAt && new Date(l.leaseExpiresAt) >= now ? `ends ${ago(l.leaseExpiresAt, now)}` : `expired ${ago(l.leaseExpiresAt, now)}`}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section size="sm" title="Due now, oldest first">
          {h.oldestDue.length === 0 ? (
            <p className="px-5 py-4 text-sm text-slate-500">The queue is empty: every deployment is converged or waiting for its next scheduled look.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {h.oldestDue.map((d) => (
                <li key={d.id} className="flex justify-between gap-3 px-5 py-2.5 text-sm">
                  {tenantLink(d)}
                  <span className="text-xs text-slate-500">{d.phase} · due {ago(d.at, now)}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
        <Section size="sm" title="Engines">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-3 px-5 py-4 text-sm">
            <dt className="text-slate-500">Infrastructure</dt>
            <dd className="font-mono text-slate-900">{h.engines.infra}</dd>
            <dt className="text-slate-500">Delivery</dt>
            <dd className="font-mono text-slate-900">{h.engines.delivery}</dd>
            {Object.entries(h.engines.details).map(([k, v]) => (
              <div key={k} className="contents">
                <dt className="text-slate-500">{k}</dt>
                <dd className="font-mono break-all text-slate-900">{v}</dd>
              </div>
            ))}
            <dt className="text-slate-500">Deployments by phase</dt>
            <dd className="text-slate-900">{Object.entries(h.phases).map(([p, n]) => `${n} ${p}`).join(' · ') || 'none'}</dd>
          </dl>
        </Section>
      </div>
    </div>
  );
}
