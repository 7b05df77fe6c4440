'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { errorMessage } from '~/lib/errors';
import { formatDate, formatMoney } from '~/lib/format';
import { OffboardingProgress } from './progress';

/** The deletion receipt: live progress until it is done, then what was removed and when, downloadable as JSON. */
export function OffboardingReceipt({ offboardingId }: { offboardingId: string }) {
  const trpc = useTRPC();
  const q = useQuery({
    ...trpc.orgs.deletionReceipt.queryOptions({ offboardingId }),
    refetchInterval: (query) => (query.state.data?.step === 'done' ? false : 1500),
  });
  if (q.isPending) return <Card className="p-6 text-sm text-slate-600">Loading the receipt…</Card>;
  if (q.isError) {
    return (
      <Card className="p-6 text-sm">
        <p className="text-slate-800">{errorMessage(q.error)}</p>
        <Button className="mt-4" variant="secondary" onClick={() => q.refetch()}>
          Try again
        </Button>
      </Card>
    );
  }
  const o = q.data;
  const e = o.evidence;
  const done = o.step === 'done';
  const download = () => {
    const blob = new Blob([JSON.stringify({ offboardingId: o.id, ...e }, null, 2)], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `plinth-deletion-receipt-${e.organization?.slug ?? o.id}.json`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="text-base font-semibold text-slate-900">{done ? 'Deleted' : 'Deleting…'}</h2>
        <p className="mt-1 mb-4 text-sm text-slate-600">
          Asked for on {formatDate(o.requestedAt, 'dateTime')}
          {done && o.completedAt ? `; finished on ${formatDate(o.completedAt, 'dateTime')}` : '. This page updates by itself; you can leave it and come back.'}
        </p>
        <OffboardingProgress o={o} />
      </Card>
      {done && (
        <div data-testid="receipt">
        <Card className="p-6">
          <div className="flex flex-wrap items-start justify-between gap-3">
            <div>
              <h2 className="text-base font-semibold text-slate-900">Receipt</h2>
              <p className="mt-1 text-sm text-slate-600">What was removed and when. A copy was mailed to the organization’s owners.</p>
            </div>
            <Button variant="secondary" onClick={download}>
              Download (JSON)
            </Button>
          </div>
          <h3 className="mt-5 text-sm font-semibold text-slate-900">Deployments removed ({e.deployments?.length ?? 0})</h3>
          {e.deployments?.length ? (
            <ul className="mt-2 divide-y divide-slate-100 rounded-md border border-slate-200 text-sm" data-testid="receipt-deployments">
              {e.deployments.map((d) => (
                <li key={d.id} className="px-3 py-2">
                  <p className="font-medium break-all text-slate-900">{d.name}</p>
                  <p className="text-xs text-slate-600">
                    {d.plan}, {d.region} · app removed {d.appRemovedAt ? formatDate(d.appRemovedAt, 'dateTime') : '(there was none)'} · infrastructure removed{' '}
                    {d.infraRemovedAt ? formatDate(d.infraRemovedAt, 'dateTime') : '(there was none)'}
                  </p>
                </li>
              ))}
            </ul>
          ) : (
            <p className="mt-1 text-sm text-slate-600">The organization had no deployments.</p>
          )}
          <dl className="mt-5 grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
            <dt className="text-slate-600">Left in the engines</dt>
            <dd className="text-slate-900" data-testid="receipt-left">
              {e.leftInEngines === 0 ? 'Nothing: every resource was removed' : `${e.leftInEngines ?? '?'} resource(s) still held; contact support`}
            </dd>
            <dt className="text-slate-600">Final invoice</dt>
            <dd className="text-slate-900" data-testid="receipt-invoice">
              {e.invoice ? (
                <>
                  {e.invoice.number}: {formatMoney(e.invoice.totalCents, e.invoice.currency)} ({e.invoice.status}
                  {e.invoice.creditsAppliedCents > 0 ? `, ${formatMoney(e.invoice.creditsAppliedCents, e.invoice.currency)} of credit applied` : ''}), usage{' '}
                  {formatDate(e.invoice.periodStart, 'date')} – {formatDate(e.invoice.periodEnd, 'dateTime')}
                </>
              ) : (
                'none'
              )}
            </dd>
            <dt className="text-slate-600">Subscription</dt>
            <dd className="text-slate-900">{e.subscriptionCancelled ? 'Cancelled' : 'There was none'}</dd>
            <dt className="text-slate-600">Organization closed</dt>
            <dd className="text-slate-900">{e.closedAt ? formatDate(e.closedAt, 'dateTime') : '—'}</dd>
            <dt className="text-slate-600">API keys revoked</dt>
            <dd className="text-slate-900">{e.apiKeysRevoked ?? 0}</dd>
            <dt className="text-slate-600">Webhook endpoints disabled</dt>
            <dd className="text-slate-900">{e.webhooksDisabled ?? 0} (after the last event, organization.deleted)</dd>
            <dt className="text-slate-600">Asked for by</dt>
            <dd className="break-all text-slate-900">{e.requestedBy?.email ?? 'a deleted account'}</dd>
          </dl>
          <p className="mt-5 text-sm">
            <Link href="/console" className="font-medium text-indigo-700 hover:underline">
              Back to Plinth →
            </Link>
          </p>
        </Card>
        </div>
      )}
    </div>
  );
}
