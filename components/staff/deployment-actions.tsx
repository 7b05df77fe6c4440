'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Field, Select } from '~/components/ui/field';
import { formatMoney } from '~/lib/format';
import type { TenantDetail } from '~/server/services/tenants/detail';
import { ActionDialog } from './action-dialog';
import { useTenantAction } from './use-tenant-action';

type D = TenantDetail['deployments'][number];
type Plan = TenantDetail['plans'][number];

export function ChangePlan({ orgId, d, plans }: { orgId: string; d: D; plans: Plan[] }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const [plan, setPlan] = useState(d.plan);
  const change = useMutation(trpc.staff.deployments.changePlan.mutationOptions({ onSuccess: () => a.done(`${d.name} is moving to the ${plans.find((p) => p.slug === plan)?.name} plan.`) }));
  const target = plans.find((p) => p.slug === plan);
  return (
    <>
      <Button size="sm" variant="secondary" onClick={() => (change.reset(), setPlan(d.plan), a.show())}>
        Change plan
      </Button>
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title={`Change the plan of ${d.name}`}
        confirmLabel="Change plan"
        pending={change.isPending}
        error={change.error}
        disabled={plan === d.plan}
        summary={
          plan === d.plan ? (
            `${d.name} is on ${d.planName}. Choose another plan.`
          ) : (
            <>
              {d.name} moves from <strong>{d.planName}</strong> to <strong>{target?.name}</strong> ({formatMoney(target?.monthlyPriceCents ?? 0)}/month). Size is
              capped to the new plan’s limits; the reconciler applies it in place. Allowed while the tenant is suspended.
            </>
          )
        }
        onConfirm={(reason) => change.mutate({ orgId, deploymentId: d.id, plan, expectedGeneration: d.generation, reason, confirm: true })}
      >
        <Field id={`plan-${d.id}`} label="New plan" error={fieldErrors(change.error).plan}>
          <Select id={`plan-${d.id}`} value={plan} onChange={(e) => setPlan(e.target.value)}>
            {plans.map((p) => (
              <option key={p.slug} value={p.slug}>
                {p.name} — {formatMoney(p.monthlyPriceCents)}/month{p.slug === d.plan ? ' (current)' : ''}
              </option>
            ))}
          </Select>
        </Field>
      </ActionDialog>
    </>
  );
}

/** Retry (failed deployments only) and force reconcile (any live one) share one dialog shape. */
export function ReconcileAction({ orgId, d, mode }: { orgId: string; d: D; mode: 'retry' | 'force' }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const options = { onSuccess: () => a.done(mode === 'retry' ? `Retrying ${d.name} now.` : `${d.name} is due for a reconcile now.`) };
  const retry = useMutation(trpc.staff.deployments.retry.mutationOptions(options));
  const force = useMutation(trpc.staff.deployments.forceReconcile.mutationOptions(options));
  const m = mode === 'retry' ? retry : force;
  return (
    <>
      <Button size="sm" variant={mode === 'retry' ? 'danger' : 'secondary'} onClick={() => (m.reset(), a.show())}>
        {mode === 'retry' ? 'Retry now' : 'Force reconcile'}
      </Button>
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title={mode === 'retry' ? `Retry ${d.name} now` : `Force a reconcile of ${d.name}`}
        confirmLabel={mode === 'retry' ? 'Retry now' : 'Force reconcile'}
        pending={m.isPending}
        error={m.error}
        summary={
          mode === 'retry'
            ? `Clears the backoff and starts a fresh attempt at generation ${d.generation}. Last error: ${d.lastError ?? 'none recorded'}.`
            : `Makes ${d.name} due now with attempts reset to 0. The reconciler re-checks every step; the engines are idempotent, so a healthy deployment is only confirmed.`
        }
        onConfirm={(reason) => m.mutate({ orgId, deploymentId: d.id, reason, confirm: true })}
      />
    </>
  );
}
