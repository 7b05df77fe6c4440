'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { useOrg } from '~/components/console/org-context';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Card, Section } from '~/components/ui/card';
import { useToast } from '~/components/ui/toast';
import { formatDate, formatMemory } from '~/lib/format';
import { DeleteForm, ResizeForm, UpgradeForm } from './change-forms';
import { CopyButton } from '~/components/ui/copy-button';
import { Credentials } from './credentials';
import { inFlight, PhaseBadge, SandboxBadge } from './phase';
import { OperationQueue, Operations, Timeline } from './timeline';
import { QueryError } from '~/components/ui/page-states';
import { DeploymentUpgrade } from '../fleet/deployment-upgrade';
import { MetricsCharts } from './metrics-charts';
import { Snapshots } from './snapshots';
import { Day2Notices, RunStateButton } from './run-state';

export function DeploymentDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { org, can, href } = useOrg();
  const key = { orgId: org.id, deploymentId: id };
  const q = useQuery({ ...trpc.deployments.get.queryOptions(key), refetchInterval: (query) => (query.state.data && inFlight(query.state.data) ? 1000 : 10_000) });
  const retry = useMutation(
    trpc.deployments.retry.mutationOptions({
      onSuccess: () => (toast('success', 'Retrying now.'), queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey(key) })),
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );

  if (q.isPending) return <Card className="p-6 text-sm text-slate-500">Loading deployment…</Card>;
  if (q.error) {
    return (
      <Card className="p-6 text-sm">
        <QueryError compact error={q.error} retry={q.refetch} />
        <Link href={href('/deployments')} className="mt-3 inline-block font-medium text-indigo-700">
          ← All deployments
        </Link>
      </Card>
    );
  }
  const d = q.data;
  const deleting = !!d.deletionRequestedAt;
  const facts: Array<[string, ReactNode]> = [
    ['Plan', d.planName],
    ['Memory', formatMemory(d.spec.memoryMb)],
    ['Replicas', d.spec.replicas],
    ['Persistence', d.spec.persistence ? 'On' : 'Off'],
    ['Region', d.spec.region],
    ['Redis', d.spec.version],
    ['Eviction', d.spec.config.maxmemoryPolicy],
    // A deleted deployment has no settings left to apply: "2 of 3 applied" would read as unfinished work.
    ['Settings version', d.phase === 'deleted' ? 'Deleted' : `${d.observedGeneration} of ${d.generation} applied`],
    ['Created', formatDate(d.createdAt)],
  ];

  return (
    <div className="space-y-6">
      <div>
        <Link href={href('/deployments')} className="text-sm font-medium text-slate-600 hover:text-slate-900">
          ← Deployments
        </Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{d.name}</h1>
          <PhaseBadge phase={d.phase} />
          <SandboxBadge engines={[d.infraEngine, d.deliveryEngine]} />
          {!deleting && d.phase !== 'deleted' && can('member') && (
            <div className="ml-auto">
              <RunStateButton d={d} />
            </div>
          )}
        </div>
        {d.why && (
          <p className="mt-2 text-sm text-slate-600" data-testid="why-not-ready">
            {d.why}
          </p>
        )}
      </div>

      <Day2Notices d={d} />

      {d.phase === 'deleted' && (
        <Card className="border-slate-300 p-4 text-sm text-slate-700">This deployment was deleted. Nothing of it is left in the engines; its history stays below.</Card>
      )}
      {d.phase === 'failed' && (
        <div role="alert" className="flex flex-wrap items-start justify-between gap-4 rounded-xl border border-red-200 bg-red-50 p-4">
          <div className="text-sm">
            <p className="font-semibold text-red-800">{d.nextReconcileAt ? 'Failing — retrying automatically' : 'Failed'}</p>
            <p className="mt-1 text-red-700" data-testid="last-error">{d.lastError}</p>
          </div>
          {can('member') && (
            <Button variant="danger" pending={retry.isPending} onClick={() => retry.mutate(key)}>
              Retry now
            </Button>
          )}
        </div>
      )}

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="p-6 lg:col-span-2">
          <dl className="grid grid-cols-2 gap-x-6 gap-y-4 text-sm sm:grid-cols-3">
            {facts.map(([label, value]) => (
              <div key={label}>
                <dt className="text-xs text-slate-500">{label}</dt>
                <dd className="mt-0.5 font-medium text-slate-900">{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card className="space-y-4 p-6">
          <div>
            <h2 className="text-xs text-slate-500">Endpoint</h2>
            {d.phase === 'deleted' ? (
              <p className="mt-1 text-sm text-slate-500" data-testid="endpoint">
                Deleted{d.outputs ? <> — was <span className="font-mono text-xs break-all line-through">{`${d.outputs.host}:${d.outputs.port}`}</span></> : null}
              </p>
            ) : d.outputs ? (
              <div className="mt-1 flex items-center gap-2">
                <code className="min-w-0 flex-1 truncate font-mono text-xs text-slate-900" data-testid="endpoint" title={`${d.outputs.host}:${d.outputs.port}`}>{`${d.outputs.host}:${d.outputs.port}`}</code>
                <CopyButton value={`${d.outputs.host}:${d.outputs.port}`} />
              </div>
            ) : (
              <p className="mt-1 text-sm text-slate-500">Assigned when the infrastructure is ready.</p>
            )}
          </div>
          {d.phase !== 'deleted' && <Credentials deploymentId={d.id} available={d.hasSecrets} />}
        </Card>
      </div>

      {d.phase !== 'deleted' && <DeploymentUpgrade deploymentId={d.id} />}
      {d.phase !== 'deleted' && (
        <Section title="Metrics" description="Memory, operations, clients and cache hit ratio.">
          <MetricsCharts deploymentId={d.id} />
        </Section>
      )}

      <Section title="Snapshots" description="Copies of the data, kept for the plan's retention; restore one into a new deployment.">
        <Snapshots d={d} />
      </Section>

      <Section title="Timeline" description="Each reconciler step, newest first, with how long it took.">
        <Timeline events={d.events} />
      </Section>
      <OperationQueue operations={d.operations} />
      <Section title="Operations" description="Every change requested, who asked, and how it ended.">
        <Operations operations={d.operations} />
      </Section>

      {!deleting && d.phase !== 'deleted' && (
        can('member') ? (
          <>
            <Section title="Size and configuration" description="Changes apply in place; the deployment stays reachable.">
              <div className="p-6">
                <ResizeForm d={d} />
              </div>
            </Section>
            <Section title="Version">
              <div className="p-6">
                <UpgradeForm d={d} />
              </div>
            </Section>
            <Section title="Delete" description="Removes the application, then its infrastructure. To pause a deployment and keep it as it is, stop it instead.">
              <div className="p-6">
                <DeleteForm d={d} />
              </div>
            </Section>
          </>
        ) : (
          <Card className="p-4 text-sm text-slate-600">You are a viewer in {org.name}: you can watch this deployment but not change it.</Card>
        )
      )}
    </div>
  );
}
