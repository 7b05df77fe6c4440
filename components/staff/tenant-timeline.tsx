'use client';

import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Select } from '~/components/ui/field';
import type { RouterOutputs } from '~/lib/api-types';
import { timelineKinds, type TimelineKind } from '~/lib/inputs/staff';
import { formatDate } from '~/lib/format';
import { QueryError } from '~/components/ui/page-states';

type Entry = RouterOutputs['staff']['tenants']['timeline']['entries'][number];

const kindLabel: Record<TimelineKind, string> = { audit: 'Audit', operation: 'Operations', reconciler: 'Reconciler', billing: 'Billing', access: 'Staff access' };
const kindStyle: Record<TimelineKind, string> = {
  audit: 'bg-violet-50 text-violet-700 ring-violet-200',
  operation: 'bg-indigo-50 text-indigo-700 ring-indigo-200',
  reconciler: 'bg-slate-100 text-slate-700 ring-slate-200',
  billing: 'bg-emerald-50 text-emerald-700 ring-emerald-200',
  access: 'bg-amber-50 text-amber-800 ring-amber-200',
};
const toneText = { neutral: 'text-slate-900', good: 'text-slate-900', warn: 'text-amber-800', bad: 'text-red-700' };
const stamp = (d: Date) => formatDate(d, 'dateTime');

function Who({ e }: { e: Entry }) {
  if (e.actor) {
    return (
      <span className="text-slate-700">
        {e.actor.email}
        {e.actor.staff && <span className="ml-1 rounded bg-amber-100 px-1 text-[10px] font-semibold text-amber-900 uppercase">staff</span>}
        {e.actor.apiKey && (
          <span className="ml-1 text-slate-500" data-testid="via-api-key">
            via API key {e.actor.apiKey.name} (<span className="font-mono">plk_{e.actor.apiKey.prefix}</span>)
          </span>
        )}
      </span>
    );
  }
  return <span className="text-slate-500">{e.kind === 'reconciler' ? 'reconciler' : e.kind === 'billing' ? 'billing system' : 'system'}</span>;
}

function Row({ e }: { e: Entry }) {
  return (
    <li className="flex gap-4 px-5 py-3 text-sm" data-testid="timeline-entry" data-kind={e.kind} data-action={e.action}>
      <time className="w-32 flex-none pt-0.5 font-mono text-xs whitespace-nowrap text-slate-500 tabular-nums" dateTime={new Date(e.at).toISOString()} title={new Date(e.at).toISOString()}>
        {stamp(e.at)}
      </time>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className={`rounded px-1.5 py-0.5 text-[11px] font-medium ring-1 ring-inset ${kindStyle[e.kind]}`}>{kindLabel[e.kind]}</span>
          <span className={`font-medium ${toneText[e.tone]}`}>{e.title}</span>
          {e.deployment && <span className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-[11px] text-slate-600">{e.deployment.name ?? e.deployment.id.slice(0, 8)}</span>}
        </div>
        {e.detail && <p className="mt-0.5 text-xs break-words text-slate-600">{e.detail}</p>}
        {e.reason && (
          <p className="mt-1 text-slate-800">
            <span className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Why</span> {e.reason}
          </p>
        )}
        <p className="mt-0.5 text-xs">
          <Who e={e} />
        </p>
      </div>
    </li>
  );
}

/** The tenant's whole history; refreshed every 15 s so an action taken elsewhere shows up while support reads. */
export function TenantTimeline({ orgId }: { orgId: string }) {
  const trpc = useTRPC();
  const [kinds, setKinds] = useState<TimelineKind[]>([]);
  const [actor, setActor] = useState('');
  const q = useInfiniteQuery({
    ...trpc.staff.tenants.timeline.infiniteQueryOptions({ orgId, kinds, actor: actor || undefined, limit: 50 }, { getNextPageParam: (last) => last.nextCursor ?? undefined }),
    refetchInterval: 15_000,
  });
  const actors = q.data?.pages[0]?.actors ?? [];
  const entries = q.data?.pages.flatMap((p) => p.entries) ?? [];
  const toggle = (k: TimelineKind) => setKinds((ks) => (ks.includes(k) ? ks.filter((x) => x !== k) : [...ks, k]));

  return (
    <div>
      <div className="flex flex-wrap items-center gap-2 border-b border-slate-100 px-5 py-3">
        <div role="group" aria-label="Kinds" className="flex flex-wrap gap-1.5">
          {timelineKinds.map((k) => (
            <button
              key={k}
              type="button"
              aria-pressed={kinds.includes(k)}
              onClick={() => toggle(k)}
              className={`rounded-full px-2.5 py-1 text-xs font-medium ring-1 ring-inset ${kinds.includes(k) ? 'bg-slate-900 text-white ring-slate-900' : 'bg-white text-slate-700 ring-slate-300 hover:bg-slate-50'}`}
            >
              {kindLabel[k]}
            </button>
          ))}
        </div>
        <div className="ml-auto w-64">
          <Select aria-label="Actor" value={actor} onChange={(e) => setActor(e.target.value)} className="py-1.5 text-xs">
            <option value="">Everyone</option>
            <option value="system">System (reconciler, billing)</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {a.email}
                {a.staff ? ' (staff)' : ''}
              </option>
            ))}
          </Select>
        </div>
      </div>
      {q.isPending ? (
        <p className="px-5 py-6 text-sm text-slate-500">Loading history…</p>
      ) : q.error ? (
        <QueryError compact error={q.error} retry={q.refetch} />
      ) : entries.length === 0 ? (
        <p className="px-5 py-6 text-sm text-slate-500">
          {kinds.length || actor ? 'Nothing matches these filters. Clear them to see the whole history.' : 'No history yet. Sign-up, invitations, deployments and billing appear here as they happen.'}
        </p>
      ) : (
        <ol className="divide-y divide-slate-100" data-testid="tenant-timeline">
          {entries.map((e) => (
            <Row key={e.key} e={e} />
          ))}
        </ol>
      )}
      {q.hasNextPage && (
        <div className="border-t border-slate-100 px-5 py-3">
          <Button variant="secondary" size="sm" pending={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
            Load older entries
          </Button>
        </div>
      )}
    </div>
  );
}
