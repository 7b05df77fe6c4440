'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useOrg } from '~/components/console/org-context';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { buttonClass } from '~/components/ui/button';
import { Card, EmptyState } from '~/components/ui/card';
import { Icon } from '~/components/ui/icons';
import { formatMemory } from '~/lib/format';
import { inFlight, PhaseBadge, SandboxBadge } from './phase';
import { Table } from '~/components/ui/table';

export function DeploymentList() {
  const trpc = useTRPC();
  const { org, can } = useOrg();
  const list = useQuery({
    ...trpc.deployments.list.queryOptions({ orgId: org.id }),
    refetchInterval: (q) => (q.state.data?.some(inFlight) ? 1000 : 10_000),
  });
  if (list.isPending) return <Card className="p-6 text-sm text-slate-500">Loading deployments…</Card>;
  if (list.error) return <Card className="p-6 text-sm text-red-600">{errorMessage(list.error)}</Card>;
  if (list.data.length === 0) {
    return (
      <EmptyState
        icon={<Icon name="server" />}
        title="No deployments yet"
        action={can('member') ? <Link href="/console/deployments/new" className={buttonClass()}>Create a deployment</Link> : undefined}
      >
        Each deployment you create appears here with its plan, region, version and live status, from provisioning to
        ready, with its endpoint and credentials.{!can('member') && ' As a viewer you can watch but not create.'}
      </EmptyState>
    );
  }
  return (
    <Card>
      <Table columns={[{ label: 'Name' }, { label: 'Status' }, { label: 'Plan', className: 'hidden md:table-cell' }, { label: 'Region', className: 'hidden md:table-cell' }, { label: 'Version', className: 'hidden sm:table-cell' }]}>
        {list.data.map((d) => (
          <tr key={d.id} data-testid={`deployment-${d.name}`} className="hover:bg-slate-50">
            <td className="px-6 py-3">
              <Link href={`/console/deployments/${d.id}`} prefetch={false} className="font-medium text-indigo-700 hover:text-indigo-600">
                {d.name}
              </Link>{' '}
              <SandboxBadge engines={[d.infraEngine, d.deliveryEngine]} />
              <div className="truncate font-mono text-xs text-slate-500">{d.outputs ? `${d.outputs.host}:${d.outputs.port}` : 'endpoint pending'}</div>
            </td>
            <td className="px-6 py-3">
              <PhaseBadge phase={d.phase} />
              {d.lastError && d.phase === 'failed' && <div className="mt-1 max-w-xs truncate text-xs text-red-600">{d.lastError}</div>}
            </td>
            <td className="hidden px-6 py-3 md:table-cell">
              {d.planName} · {formatMemory(d.spec.memoryMb)}
            </td>
            <td className="hidden px-6 py-3 md:table-cell">{d.spec.region}</td>
            <td className="hidden px-6 py-3 sm:table-cell">{d.spec.version}</td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
