'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Field, Input, Select } from '~/components/ui/field';
import { formatMoney } from '~/lib/format';
import { ActionDialog } from './action-dialog';
import { useTenantAction } from './use-tenant-action';

type Org = { id: string; name: string; slug: string; status: 'active' | 'suspended' };

/** "50", "50.5", "$1,200.00" → cents; NaN when it is not an amount. */
const toCents = (text: string) => Math.round(Number(text.replace(/[$,\s]/g, '')) * 100);

export function IssueCredit({ org }: { org: Org }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('usd');
  const issue = useMutation(trpc.staff.credits.issue.mutationOptions({ onSuccess: (c) => a.done(`Credit of ${formatMoney(c.amountCents, c.currency)} issued to ${org.name}.`) }));
  const errors = fieldErrors(issue.error);
  const cents = toCents(amount);
  const valid = Number.isFinite(cents) && cents > 0;
  return (
    <>
      <Button onClick={() => (issue.reset(), a.show())}>Issue credit</Button>
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title={`Issue a credit to ${org.name}`}
        confirmLabel="Issue credit"
        pending={issue.isPending}
        error={issue.error}
        summary={valid ? <>A credit of <strong>{formatMoney(cents, currency)}</strong> goes on {org.name}’s ledger and is applied to their next invoices, soonest-expiring first.</> : 'Enter the amount to credit.'}
        onConfirm={(reason, form) => {
          const expiry = String(form.get('expiresAt') ?? '');
          issue.mutate({ orgId: org.id, amountCents: valid ? cents : 0, currency: currency as 'usd', expiresAt: expiry ? new Date(`${expiry}T23:59:59Z`) : null, reason, confirm: true });
        }}
      >
        <div className="grid grid-cols-3 gap-3">
          <div className="col-span-2">
            <Field id="credit-amount" label="Amount" error={errors.amountCents ?? errors.amount}>
              <Input id="credit-amount" inputMode="decimal" placeholder="50.00" value={amount} onChange={(e) => setAmount(e.target.value)} invalid={!!(errors.amountCents ?? errors.amount)} />
            </Field>
          </div>
          <Field id="credit-currency" label="Currency">
            <Select id="credit-currency" value={currency} onChange={(e) => setCurrency(e.target.value)}>
              <option value="usd">USD</option>
              <option value="eur">EUR</option>
              <option value="gbp">GBP</option>
            </Select>
          </Field>
        </div>
        <Field id="credit-expiry" label="Expires (optional)" error={errors.expiresAt} hint="Leave empty for a credit that never expires.">
          <Input id="credit-expiry" name="expiresAt" type="date" invalid={!!errors.expiresAt} />
        </Field>
      </ActionDialog>
    </>
  );
}

export function SuspendTenant({ org, liveDeployments }: { org: Org; liveDeployments: number }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const [stop, setStop] = useState(false);
  const suspend = useMutation(trpc.staff.tenants.suspend.mutationOptions({ onSuccess: (r) => a.done(`${org.name} is suspended${r.stopped.length ? `; stopping ${r.stopped.length} deployment(s)` : ''}.`) }));
  return (
    <>
      <Button variant="danger" onClick={() => (suspend.reset(), setStop(false), a.show())}>
        Suspend…
      </Button>
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title={`Suspend ${org.name}`}
        danger
        confirmLabel={stop ? `Suspend and stop ${liveDeployments} deployment${liveDeployments === 1 ? '' : 's'}` : 'Suspend tenant'}
        pending={suspend.isPending}
        error={suspend.error}
        summary={
          stop ? (
            <>Members can still sign in and see why, but start nothing new. <strong>Every deployment is stopped</strong>: scaled to zero, infrastructure and data kept, compute no longer billed (storage still is). Resuming can start them again.</>
          ) : (
            <>Members can still sign in and see the reason, but no new operation can start. Their {liveDeployments} deployment{liveDeployments === 1 ? '' : 's'} keep running and billing continues.</>
          )
        }
        onConfirm={(reason) => suspend.mutate({ orgId: org.id, reason, stopDeployments: stop, confirm: true })}
      >
        {liveDeployments > 0 && (
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" className="mt-0.5 size-4 accent-red-600" checked={stop} onChange={(e) => setStop(e.target.checked)} />
            <span>
              <span className="font-medium text-slate-900">Also stop its deployments</span>
              <span className="block text-slate-600">Scaled to zero with their data kept; nothing is deleted, and resuming offers to start them again.</span>
            </span>
          </label>
        )}
      </ActionDialog>
    </>
  );
}

export function ResumeTenant({ org, stoppedDeployments = 0 }: { org: Org; stoppedDeployments?: number }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const [start, setStart] = useState(true);
  const resume = useMutation(
    trpc.staff.tenants.resume.mutationOptions({ onSuccess: (r) => a.done(`${org.name} is active again${r.started.length ? `; starting ${r.started.length} deployment(s)` : ''}.`) }),
  );
  return (
    <>
      <Button variant="secondary" onClick={() => (resume.reset(), setStart(true), a.show())}>
        Resume…
      </Button>
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title={`Resume ${org.name}`}
        confirmLabel="Resume tenant"
        pending={resume.isPending}
        error={resume.error}
        summary="The suspension banner disappears and members can create, change and delete deployments again."
        onConfirm={(reason) => resume.mutate({ orgId: org.id, reason, startDeployments: stoppedDeployments > 0 && start, confirm: true })}
      >
        {stoppedDeployments > 0 && (
          <label className="flex items-start gap-3 text-sm">
            <input type="checkbox" className="mt-0.5 size-4" checked={start} onChange={(e) => setStart(e.target.checked)} />
            <span>
              <span className="font-medium text-slate-900">Start its {stoppedDeployments} stopped deployment{stoppedDeployments === 1 ? '' : 's'}</span>
              <span className="block text-slate-600">Each comes back with its data and is billed for compute again once ready.</span>
            </span>
          </label>
        )}
      </ActionDialog>
    </>
  );
}
