'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { inFlight } from '~/components/deployments/phase';
import { useTRPC } from '~/components/providers';
import { Badge, Card, Section, Stat } from '~/components/ui/card';
import { OffboardingProgress } from '~/components/offboarding/progress';
import { formatDate, formatMoney } from '~/lib/format';
import { PhaseCounts } from './phase-counts';
import { IssueCredit, ResumeTenant, SuspendTenant } from './tenant-actions';
import { TenantApiKeys } from './tenant-api-keys';
import { TenantDeployments } from './tenant-deployments';
import { Credits, Invoices, Members, Usage } from './tenant-sections';
import { TenantEconomics } from './tenant-economics';
import { TenantTimeline } from './tenant-timeline';
import { QueryError } from '~/components/ui/page-states';

export function TenantView({ orgId, admin }: { orgId: string; admin: boolean }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.staff.tenants.get.queryOptions({ orgId }),
    refetchInterval: (query) => (query.state.data?.deployments.some(inFlight) ? 2000 : 15_000),
  });
  if (q.isPending) return <Card className="p-6 text-sm text-slate-500">Loading tenant…</Card>;
  if (q.error) {
    return (
      <Card className="p-6 text-sm">
        <QueryError compact error={q.error} retry={q.refetch} />
        <Link href="/admin" className="mt-3 inline-block font-medium text-indigo-700">← All tenants</Link>
      </Card>
    );
  }
  const t = q.data;
  const { org } = t;
  const live = t.deployments.filter((d) => !d.deletedAt);
  const phases: Record<string, number> = {};
  for (const d of live) phases[d.phase] = (phases[d.phase] ?? 0) + 1;
  const lastInvoice = t.invoices[0];

  return (
    <div className="space-y-6">
      <div>
        <Link href="/admin" className="text-sm font-medium text-slate-600 hover:text-slate-900">← Tenants</Link>
        <div className="mt-2 flex flex-wrap items-start justify-between gap-4">
          <div>
            <div className="flex flex-wrap items-center gap-2">
              <h1 className="text-2xl font-semibold tracking-tight text-slate-900">{org.name}</h1>
              <Badge tone={org.status === 'active' ? 'emerald' : 'amber'}>{org.status}</Badge>
              {org.closedAt ? <Badge tone="red">closed</Badge> : org.deletionRequestedAt ? <Badge tone="red">being deleted</Badge> : null}
              {org.paymentStatus !== 'none' && <Badge tone={org.paymentStatus === 'active' ? 'slate' : 'red'}>payment {org.paymentStatus.replace('_', ' ')}</Badge>}
            </div>
            <p className="mt-1 text-sm text-slate-600">
              <span className="font-mono">{org.slug}</span> · created {formatDate(org.createdAt)}
              {org.stripeCustomerId ? <> · Stripe <span className="font-mono">{org.stripeCustomerId}</span></> : ' · no Stripe customer'}
            </p>
            <p className="mt-0.5 font-mono text-[11px] text-slate-500">{org.id}</p>
          </div>
          {admin ? (
            <div className="flex flex-wrap gap-2">
              <IssueCredit org={org} />
              {/* A tenant being deleted (or closed) is not suspended or resumed: its deletion decides what runs. */}
              {org.deletionRequestedAt ? null : org.status === 'active' ? <SuspendTenant org={org} liveDeployments={t.deployments.filter((d) => !d.deletedAt && !d.deletionRequestedAt).length} /> : <ResumeTenant org={org} stoppedDeployments={t.deployments.filter((d) => !d.deletedAt && !d.deletionRequestedAt && d.spec.state === 'stopped').length} />}
            </div>
          ) : (
            <p className="max-w-xs text-right text-xs text-slate-500">You have read access (support). Credits, suspension and deployment actions need a staff admin.</p>
          )}
        </div>
      </div>

      {org.status === 'suspended' && (
        <div role="status" className="rounded-xl border border-amber-200 bg-amber-50 px-5 py-3 text-sm text-amber-900">
          <span className="font-semibold">Suspended:</span> {org.suspendedReason ?? 'no reason recorded'}. Members can sign in and see this reason; they cannot start operations.
        </div>
      )}

      {t.offboarding && (
        <div data-testid="tenant-offboarding">
          <Card className="border-red-200 p-5">
            <h2 className="mb-1 text-sm font-semibold text-slate-900">
              {t.offboarding.completedAt ? `Deleted by its owner (closed ${formatDate(t.offboarding.closedAt ?? t.offboarding.completedAt, 'dateTime')})` : 'The owner is deleting this organization'}
            </h2>
            <p className="mb-4 text-xs text-slate-600">Asked for on {formatDate(t.offboarding.requestedAt, 'dateTime')}. Every step is in the timeline below; the rows stay here for accounting.</p>
            <OffboardingProgress o={t.offboarding} />
          </Card>
        </div>
      )}

      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Members">{t.members.length}</Stat>
        <Stat label="Deployments">{live.length === 0 ? 'none' : <PhaseCounts phases={phases} />}</Stat>
        <Stat label="Credit balance"><span data-testid="tenant-credit-balance">{formatMoney(t.creditBalanceCents)}</span></Stat>
        <Stat label="Last invoice">{lastInvoice ? `${formatMoney(lastInvoice.totalCents, lastInvoice.currency)} · ${lastInvoice.status}` : 'none yet'}</Stat>
      </div>

      <Section size="sm" title="Deployments" aside={<span className="text-xs text-slate-500">latest reconciler events of each</span>}>
        <TenantDeployments orgId={org.id} deployments={t.deployments} plans={t.plans} admin={admin} />
      </Section>

      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-3">
        <Section size="sm" title="Timeline" className="lg:col-span-2" aside={<span className="text-xs text-slate-500">newest first · who and why</span>}>
          <TenantTimeline orgId={org.id} />
        </Section>
        <div className="space-y-6">
          <Section size="sm" title="Unit economics" aside={<Link href="/admin/economics" className="text-xs text-indigo-700 hover:text-indigo-600">all tenants</Link>}>
            <TenantEconomics orgId={org.id} />
          </Section>
          <Section size="sm" title="Members"><Members t={t} /></Section>
          <Section size="sm" title="API keys"><TenantApiKeys orgId={org.id} /></Section>
          <Section size="sm" title="Credits" aside={<span className="text-xs text-slate-500">balance {formatMoney(t.creditBalanceCents)}</span>}><Credits t={t} /></Section>
          <Section size="sm" title="Invoices"><Invoices t={t} /></Section>
          <Section size="sm" title="Usage"><Usage t={t} /></Section>
        </div>
      </div>
    </div>
  );
}
