'use client';

import { PhaseBadge, SandboxBadge } from '~/components/deployments/phase';
import { formatDate, formatMemory } from '~/lib/format';
import type { TenantDetail } from '~/server/services/tenants/detail';
import { ChangePlan, ReconcileAction } from './deployment-actions';
import { SandboxTools } from './sandbox-tools';

type D = TenantDetail['deployments'][number];
const time = (d: Date) => formatDate(d, 'dateTime');

function Deployment({ orgId, d, plans, admin }: { orgId: string; d: D; plans: TenantDetail['plans']; admin: boolean }) {
  const live = !d.deletedAt && !d.deletionRequestedAt;
  return (
    <li className="px-5 py-4" data-testid={`tenant-deployment-${d.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900">{d.name}</span>
            <PhaseBadge phase={d.phase} />
            <SandboxBadge engines={[d.infraEngine, d.deliveryEngine]} />
          </div>
          <p className="mt-1 text-xs text-slate-600">
            {d.planName} · {formatMemory(d.spec.memoryMb)} · {d.spec.region} · Redis {d.spec.version} · generation {d.observedGeneration}/{d.generation} · created {formatDate(d.createdAt)}
          </p>
          <p className="mt-0.5 font-mono text-[11px] text-slate-500">{d.id}</p>
          {d.lastError && d.phase === 'failed' && <p className="mt-1 text-sm text-red-700">Failed after {d.attempts} attempt(s): {d.lastError}</p>}
          {d.why && !d.deletedAt && (
            <p className="mt-1 text-xs text-indigo-700" data-testid="why-not-ready">
              {d.why}
            </p>
          )}
        </div>
        {admin && live && (
          <div className="flex flex-wrap gap-2">
            {d.phase === 'failed' && <ReconcileAction orgId={orgId} d={d} mode="retry" />}
            <ReconcileAction orgId={orgId} d={d} mode="force" />
            <ChangePlan orgId={orgId} d={d} plans={plans} />
            {d.infraEngine === 'sandbox' && d.deliveryEngine === 'sandbox' && <SandboxTools orgId={orgId} d={d} />}
          </div>
        )}
      </div>
      {d.events.length > 0 ? (
        <ol className="mt-3 space-y-1 border-l-2 border-slate-100 pl-3">
          {d.events.map((e) => (
            <li key={e.id} className="flex gap-3 text-xs">
              <span className="w-32 flex-none font-mono whitespace-nowrap text-slate-500 tabular-nums">{time(e.at)}</span>
              <span className={`w-24 flex-none font-mono ${e.level === 'error' ? 'text-red-600' : e.level === 'warning' ? 'text-amber-700' : 'text-slate-500'}`}>{e.step}</span>
              <span className="min-w-0 flex-1 text-slate-700">{e.message}</span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-3 text-xs text-slate-500">No reconciler events yet.</p>
      )}
    </li>
  );
}

export function TenantDeployments({ orgId, deployments, plans, admin }: { orgId: string; deployments: D[]; plans: TenantDetail['plans']; admin: boolean }) {
  if (deployments.length === 0) return <p className="px-5 py-6 text-sm text-slate-500">This tenant has no deployments. The ones they create appear here with their latest reconciler events.</p>;
  return (
    <ul className="divide-y divide-slate-100">
      {deployments.map((d) => (
        <Deployment key={d.id} orgId={orgId} d={d} plans={plans} admin={admin} />
      ))}
    </ul>
  );
}
