'use client';

import type { RouterOutputs } from '~/lib/api-types';
import { formatOccurrence } from '~/lib/windows';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import Link from 'next/link';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { buttonClass } from '~/components/ui/button';
import { Card, EmptyState } from '~/components/ui/card';
import { Icon } from '~/components/ui/icons';
import { formatMemory } from '~/lib/format';
import { DEPLOYMENTS_PAGE_SIZE } from '~/lib/inputs/deployments';
import { inFlight, PhaseBadge, SandboxBadge } from './phase';
import { Table } from '~/components/ui/table';
import { QueryError } from '~/components/ui/page-states';

export function DeploymentList() {
  const trpc = useTRPC();
  const { org, can, href } = useOrg();
  // Polled only while a row on that page is changing; a settled page is re-read when the window regains focus.
  const poll = { refetchInterval: (q: { state: { data?: Array<Parameters<typeof inFlight>[0]> } }) => (q.state.data?.some(inFlight) ? 1000 : false) } as const;
  const list = useQuery({ ...trpc.deployments.list.queryOptions({ orgId: org.id }), ...poll });
  const upgrades = useQuery(trpc.fleet.upgrades.queryOptions({ orgId: org.id }));
  const upgradeOf = new Map((upgrades.data ?? []).map((u) => [u.deploymentId, u]));
  // Further pages, keyset-paginated: each is named by the id of the last row before it.
  const [cursors, setCursors] = useState<string[]>([]);
  const more = useQueries({ queries: cursors.map((cursor) => ({ ...trpc.deployments.list.queryOptions({ orgId: org.id, cursor }), ...poll })) });
  if (list.isPending) return <Card className="p-6 text-sm text-slate-500">Loading deployments…</Card>;
  if (list.error) return <QueryError error={list.error} retry={list.refetch} />;
  if (list.data.length === 0) {
    return (
      <EmptyState
        icon={<Icon name="server" />}
        title="No deployments yet"
        action={can('member') && org.status !== 'suspended' && !org.deleting ? <Link href={href('/deployments/new')} className={buttonClass()}>Create a deployment</Link> : undefined}
      >
        Each deployment you create appears here with its plan, region, version and live status, from provisioning to
        ready, with its endpoint and credentials.{!can('member') && ' As a viewer you can watch but not create.'}
      </EmptyState>
    );
  }
  const rows = [...list.data, ...more.flatMap((m) => m.data ?? [])];
  const lastPage = cursors.length ? more.at(-1)?.data : list.data;
  const hasMore = lastPage?.length === DEPLOYMENTS_PAGE_SIZE;
  return (
    <Card>
      <Table columns={[{ label: 'Name' }, { label: 'Status' }, { label: 'Plan', className: 'hidden md:table-cell' }, { label: 'Region', className: 'hidden md:table-cell' }, { label: 'Version', className: 'hidden sm:table-cell' }]}>
        {rows.map((d) => (
          <tr key={d.id} data-testid={`deployment-${d.name}`} className="hover:bg-slate-50">
            <td className="px-6 py-3">
              <Link href={href(`/deployments/${d.id}`)} prefetch={false} className="font-medium text-indigo-700 hover:text-indigo-600">
                {d.name}
              </Link>{' '}
              <SandboxBadge engines={[d.infraEngine, d.deliveryEngine]} />
              <div className="max-w-[calc(100vw-5rem)] truncate font-mono text-xs text-slate-500 sm:max-w-xs" title={d.outputs ? `${d.outputs.host}:${d.outputs.port}` : undefined}>
                {d.phase === 'deleted' ? 'deleted' : d.outputs ? `${d.outputs.host}:${d.outputs.port}` : 'endpoint pending'}
              </div>
            </td>
            <td className="px-6 py-3">
              <PhaseBadge phase={d.phase} />
              {d.lastError && d.phase === 'failed' && <div className="mt-1 max-w-xs truncate text-xs text-red-600">{d.lastError}</div>}
            </td>
            <td className="hidden px-6 py-3 md:table-cell">
              {d.planName} · {formatMemory(d.memoryMb)}
            </td>
            <td className="hidden px-6 py-3 md:table-cell">{d.region}</td>
            <td className="hidden px-6 py-3 sm:table-cell">
              {d.version}
              <ScheduledUpgrade upgrade={upgradeOf.get(d.id)} />
            </td>
          </tr>
        ))}
      </Table>
      {hasMore && (
        <div className="border-t border-slate-100 px-6 py-3">
          <button type="button" className={buttonClass('secondary')} onClick={() => setCursors([...cursors, rows.at(-1)!.id])}>
            Show older deployments
          </button>
        </div>
      )}
    </Card>
  );
}

/** "→ 7.4.2 Tue 24 Nov 02:00–04:00 CET" under the version, when a rollout has scheduled an upgrade. */
function ScheduledUpgrade({ upgrade }: { upgrade?: RouterOutputs['fleet']['upgrades'][number] }) {
  if (!upgrade) return null;
  const at = upgrade.status === 'upgrading' ? 'upgrading' : upgrade.next ? (upgrade.timeZone ? formatOccurrence(upgrade.next, upgrade.timeZone) : 'any time now') : '';
  return <div className="text-xs text-indigo-700">→ {upgrade.targetVersion} {at}</div>;
}
