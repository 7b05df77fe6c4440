'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useOrg } from '~/components/console/org-context';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Badge, Card, PageHeader, Section } from '~/components/ui/card';
import { useToast } from '~/components/ui/toast';
import { formatDate, formatMoney } from '~/lib/format';
import { QueryError } from '~/components/ui/page-states';
import { stackOnPhone } from '~/components/ui/table';

const month = (d: Date) => formatDate(d, 'monthLong');

export function BillingPage() {
  const trpc = useTRPC();
  const toast = useToast();
  const { org, can } = useOrg();
  const q = useQuery({ ...trpc.billing.overview.queryOptions({ orgId: org.id }), refetchInterval: 10_000 });
  const go = { onSuccess: ({ url }: { url: string }) => window.location.assign(url), onError: (e: unknown) => toast('error', errorMessage(e)) };
  const checkout = useMutation(trpc.billing.checkout.mutationOptions(go));
  const portal = useMutation(trpc.billing.portal.mutationOptions(go));

  if (q.isPending) return <><PageHeader title="Billing" /><Card className="p-6 text-sm text-slate-500">Loading billing…</Card></>;
  if (q.error) return <><PageHeader title="Billing" /><QueryError error={q.error} retry={q.refetch} /></>;
  const { preview, invoices, credits, creditBalanceCents, payments } = q.data;

  return (
    <>
      <PageHeader title="Billing" description="What this organization owes, what it was credited, and how it pays." />
      <div className="space-y-6">
        {!payments.configured ? (
          <div className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-700" data-testid="payments-status">
            <strong className="font-semibold">Payments are not configured on this installation.</strong> Usage, invoices and credits are computed and shown here,
            but nothing is charged and no card is needed.
          </div>
        ) : payments.status === 'past_due' ? (
          <div role="alert" className="rounded-xl border border-red-200 bg-red-50 p-4 text-sm text-red-800" data-testid="payments-status">
            <strong className="font-semibold">Payment is past due</strong>
            {payments.pastDueSince ? ` since ${formatDate(payments.pastDueSince)}` : ''}. Update your payment method to keep starting new operations.
          </div>
        ) : (
          <div className="rounded-xl border border-slate-200 bg-white p-4 text-sm text-slate-700" data-testid="payments-status">
            Payment status: <Badge tone={payments.status === 'active' ? 'emerald' : 'slate'}>{payments.status === 'none' ? 'no subscription' : payments.status}</Badge>
          </div>
        )}

        <Section title={`Current period · ${month(preview.periodStart)}`} aside={<span className="text-xs text-slate-500">Preview, updates as usage is metered</span>}>
          <table className="w-full text-sm" data-testid="invoice-preview">
            <tbody className="divide-y divide-slate-100">
              {preview.lines.length === 0 && (
                <tr>
                  <td className="px-6 py-4 text-slate-500">No charges yet this month. Plan fees and usage appear here once a paid deployment runs.</td>
                </tr>
              )}
              {preview.lines.map((l, i) => (
                <tr key={i}>
                  <td className="px-6 py-2 text-slate-800">{l.description}</td>
                  <td className="px-6 py-2 text-right text-slate-900 tabular-nums">{formatMoney(l.amountCents)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot className="border-t border-slate-200 text-slate-900">
              <tr>
                <td className="px-6 py-2">Subtotal</td>
                <td className="px-6 py-2 text-right tabular-nums">{formatMoney(preview.subtotalCents)}</td>
              </tr>
              <tr>
                <td className="px-6 py-2">Credits applied</td>
                <td className="px-6 py-2 text-right tabular-nums">{formatMoney(preview.creditsAppliedCents === 0 ? 0 : -preview.creditsAppliedCents)}</td>
              </tr>
              <tr className="font-semibold">
                <td className="px-6 py-3">Total so far</td>
                <td className="px-6 py-3 text-right tabular-nums" data-testid="invoice-total">{formatMoney(preview.totalCents)}</td>
              </tr>
            </tfoot>
          </table>
        </Section>

        <Section title="Credits" aside={<span className="text-sm text-slate-700">Balance <strong data-testid="credit-balance">{formatMoney(creditBalanceCents)}</strong></span>}>
          {credits.length === 0 ? (
            <p className="px-6 py-4 text-sm text-slate-500">No credits. Credits issued to this organization appear here with their reason, and are applied to the next invoice.</p>
          ) : (
            <ul className="divide-y divide-slate-100" data-testid="credits">
              {credits.map((c) => (
                <li key={c.id} className="flex items-center justify-between gap-4 px-6 py-2.5 text-sm">
                  <div>
                    <p className="text-slate-900">{c.reason}</p>
                    <p className="text-xs text-slate-500">
                      {c.kind === 'grant' ? 'Credit issued' : c.kind === 'apply' ? 'Applied' : 'Expired'} {formatDate(c.createdAt)}
                      {c.expiresAt ? ` · expires ${formatDate(c.expiresAt)}` : ''}
                    </p>
                  </div>
                  <span className={`tabular-nums ${c.amountCents > 0 ? 'text-emerald-700' : 'text-slate-700'}`}>{formatMoney(c.amountCents, c.currency)}</span>
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section title="Invoices">
          {invoices.length === 0 ? (
            <p className="px-6 py-4 text-sm text-slate-500">No invoices yet. Each month’s invoice appears here when the month closes.</p>
          ) : (
            <table className={`w-full text-left text-sm ${stackOnPhone}`}>
              <tbody className="divide-y divide-slate-100">
                {invoices.map((inv) => (
                  <tr key={inv.id}>
                    <td className="px-6 py-2 text-slate-900">{month(inv.periodStart)}</td>
                    <td className="px-6 py-2"><Badge tone={inv.status === 'paid' ? 'emerald' : inv.status === 'open' ? 'amber' : 'slate'}>{inv.status}</Badge></td>
                    <td className="px-6 py-2 text-right text-slate-600 tabular-nums">credits {formatMoney(inv.creditsAppliedCents === 0 ? 0 : -inv.creditsAppliedCents)}</td>
                    <td className="px-6 py-2 text-right font-medium tabular-nums">{formatMoney(inv.totalCents)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>

        {payments.configured && can('admin') && (
          <Section title="Subscription and payment method">
            <div className="flex flex-wrap gap-3 p-6">
              {['starter', 'pro', 'enterprise'].map((plan) => (
                <Button key={plan} variant="secondary" pending={checkout.isPending && checkout.variables?.plan === plan} onClick={() => checkout.mutate({ orgId: org.id, plan })}>
                  Subscribe to {plan[0]!.toUpperCase() + plan.slice(1)}
                </Button>
              ))}
              {payments.hasCustomer && (
                <Button variant="ghost" pending={portal.isPending} onClick={() => portal.mutate({ orgId: org.id })}>
                  Manage payment methods and invoices
                </Button>
              )}
              <p className="w-full text-xs text-slate-500">The plan fee is billed monthly; usage (deployment-hours, storage) is billed at the end of the month from metered hours. The Free plan needs no card.</p>
            </div>
          </Section>
        )}
      </div>
    </>
  );
}
