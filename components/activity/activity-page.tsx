'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Card } from '~/components/ui/card';
import { Select } from '~/components/ui/field';
import { PageLoading, QueryError } from '~/components/ui/page-states';
import { formatDate } from '~/lib/format';
import { ACTIVITY_KINDS, type ActivityKind } from '~/lib/inputs/activity';

const kindLabels: Record<ActivityKind, string> = { deployment: 'Deployments', member: 'Members', invitation: 'Invitations', org: 'Organization', billing: 'Billing' };

/** The organization's audit trail: who did what and when, filterable by kind and by person. */
export function ActivityPage() {
  const trpc = useTRPC();
  const { org } = useOrg();
  const [kind, setKind] = useState<ActivityKind | ''>('');
  const [actorId, setActorId] = useState('');
  const q = useQuery(trpc.orgs.activity.queryOptions({ orgId: org.id, kind: kind || undefined, actorId: actorId || undefined }));
  return (
    <Card>
      <div className="flex flex-wrap gap-3 border-b border-slate-100 px-6 py-4">
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Kind
          <Select aria-label="Kind of activity" value={kind} onChange={(e) => setKind(e.target.value as ActivityKind | '')} className="w-40">
            <option value="">Everything</option>
            {ACTIVITY_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabels[k]}
              </option>
            ))}
          </Select>
        </label>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          Who
          <Select aria-label="Person" value={actorId} onChange={(e) => setActorId(e.target.value)} className="w-48">
            <option value="">Anyone</option>
            {(q.data?.people ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name || p.email}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {q.isPending ? (
        <PageLoading />
      ) : q.error ? (
        <QueryError compact error={q.error} retry={q.refetch} />
      ) : q.data.entries.length === 0 ? (
        <p className="px-6 py-8 text-sm text-slate-600">
          {kind || actorId ? 'Nothing matches these filters. Clear them to see everything.' : 'Nothing yet. Changes to deployments, members and settings appear here as they happen.'}
        </p>
      ) : (
        <ol className="divide-y divide-slate-100" data-testid="activity">
          {q.data.entries.map((e) => (
            <li key={e.id} className="flex flex-wrap gap-x-4 gap-y-0.5 px-6 py-3 text-sm sm:flex-nowrap">
              <span className="w-32 flex-none text-xs text-slate-600 tabular-nums" title={new Date(e.at).toISOString()}>
                {formatDate(e.at, 'dateTime')}
              </span>
              <span className="min-w-0 flex-1 text-slate-900">
                <span className="font-medium">{e.actor}</span> — {e.label}
                {e.reason && <span className="block text-xs text-slate-600">Reason: {e.reason}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
