'use client';

import { FinalSnapshotNote } from './snapshots';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useRef, useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Field, Input, Select } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { formatPrice, formatRate } from '~/lib/format';
import type { RouterOutputs } from '~/lib/api-types';
import { compareVersions } from '~/lib/versions';
import { readSizing, SizingFields } from './sizing-fields';
import { PriceEstimate } from '~/components/billing/price-estimate';
import { PendingNote } from '~/components/ui/pending-note';
import { QueryError } from '~/components/ui/page-states';
import { estimateMonthly, type PricedSpec } from '~/lib/pricing';
import { describeSpecChanges } from '~/lib/spec-diff';

type Detail = RouterOutputs['deployments']['get'];

function useRefresh(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org } = useOrg();
  return () => queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ orgId: org.id, deploymentId: id }) });
}

/**
 * Plan, size and config, with the estimated monthly price and its change. Carries the generation the user started
 * editing from, so a stale edit is refused by the server, not applied over someone else's change. While the form
 * is untouched it follows the deployment; once edited it never resets under the user: if someone else's change
 * lands (seen on refetch, or as the server's CONFLICT), the form keeps the edits, says what changed meanwhile,
 * and offers to apply the edits on top of the new settings.
 */
export function ResizeForm({ d }: { d: Detail }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { org } = useOrg();
  const refresh = useRefresh(d.id);
  const queryClient = useQueryClient();
  const catalog = useQuery(trpc.catalog.get.queryOptions());
  // The deployment as it was when the user started editing; null while the form is untouched.
  const [base, setBase] = useState<Detail | null>(null);
  const shown = base ?? d;
  const [planSlug, setPlanSlug] = useState(d.spec.plan);
  const [sizing, setSizing] = useState<PricedSpec>({ memoryMb: d.spec.memoryMb, persistence: d.spec.persistence });
  const formRef = useRef<HTMLFormElement>(null);
  const update = useMutation(
    trpc.deployments.update.mutationOptions({
      onSuccess: () => {
        toast('success', 'Change accepted. The reconciler is applying it.');
        setBase(null);
        void refresh();
      },
      onError: (e) => {
        void refresh();
        // The price moved: fetch the catalog again so the form shows the price to confirm now.
        if (fieldErrors(e).quote) void queryClient.invalidateQueries({ queryKey: trpc.catalog.get.queryKey() });
      },
    }),
  );
  const errors = fieldErrors(update.error);
  const plans = catalog.data?.plans;
  // Untouched, the form shows the deployment as it is now (someone else's change included).
  const chosenSlug = base ? planSlug : d.spec.plan;
  const priced = base ? sizing : { memoryMb: d.spec.memoryMb, persistence: d.spec.persistence };
  const plan = plans?.find((p) => p.slug === chosenSlug);
  const currentPlan = plans?.find((p) => p.slug === d.spec.plan);
  if (catalog.error) return <QueryError compact error={catalog.error} retry={catalog.refetch} />;
  if (!plans || !plan || !currentPlan) return <p className="text-sm text-slate-500">Loading plans…</p>;
  const changedMeanwhile = base && d.generation !== base.generation ? describeSpecChanges(base.spec, d.spec) : [];
  const conflict = base !== null && d.generation !== base.generation && !update.isPending;

  const submit = (expectedGeneration: number) => {
    const form = formRef.current;
    if (!form) return;
    const values = readSizing(new FormData(form));
    update.mutate({
      orgId: org.id,
      deploymentId: d.id,
      expectedGeneration,
      plan: chosenSlug,
      ...values,
      quotedMonthlyCents: estimateMonthly(plan, values).totalCents,
    });
  };
  const touch = (target: EventTarget) => {
    if (!base) {
      setBase(d);
      if ((target as HTMLElement).id !== 'plan') setPlanSlug(d.spec.plan);
    }
    // The plan select prices its own change (the sizing fields have not re-rendered for the new plan yet).
    if ((target as HTMLElement).id === 'plan') return;
    const { memoryMb, persistence } = readSizing(new FormData(formRef.current!));
    setSizing({ memoryMb, persistence });
  };

  return (
    <form
      ref={formRef}
      noValidate
      className="space-y-4"
      onChange={(e) => touch(e.target)}
      onSubmit={(e) => {
        e.preventDefault();
        submit(shown.generation);
      }}
    >
      {conflict && (
        <div role="alert" className="rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900" data-testid="edit-conflict">
          <p className="font-semibold">Someone else changed this deployment while you were editing.</p>
          <p className="mt-1">
            Changed meanwhile: {changedMeanwhile.length ? changedMeanwhile.join(', ') : 'settings version ' + d.generation}. Your edits below are kept
            and were not applied.
          </p>
          <div className="mt-3 flex flex-wrap gap-2">
            <Button type="button" size="sm" pending={update.isPending} onClick={() => submit(d.generation)}>
              Apply my changes on top
            </Button>
            <Button
              type="button"
              size="sm"
              variant="secondary"
              onClick={() => {
                setBase(null);
                setPlanSlug(d.spec.plan);
                setSizing({ memoryMb: d.spec.memoryMb, persistence: d.spec.persistence });
                update.reset();
              }}
            >
              Discard my edits
            </Button>
          </div>
        </div>
      )}
      <Field id="plan" label="Plan" error={errors.plan}>
        <Select
          id="plan"
          value={chosenSlug}
          onChange={(e) => {
            setPlanSlug(e.target.value);
            const next = plans.find((p) => p.slug === e.target.value);
            // The sizing fields re-render with the new plan's limits; price what they will show.
            if (next) setSizing({ memoryMb: Math.min(shown.spec.memoryMb, next.limits.memoryMb), persistence: next.limits.persistence && shown.spec.persistence });
          }}
        >
          {plans.map((p) => (
            <option key={p.id} value={p.slug}>
              {p.name} — {formatPrice(p.monthlyPriceCents)}/month plan fee{p.hourlyRateCentiCents ? ` + ${formatRate(p.hourlyRateCentiCents / 100)}/hour` : ''}
            </option>
          ))}
        </Select>
      </Field>
      {/* Keyed by what it starts from: the deployment while untouched, the edit's base once edited (never reset under the user). */}
      <SizingFields key={`${plan.id}-${shown.generation}`} plan={plan} current={shown.spec} errors={errors} />
      <PriceEstimate plan={plan} spec={priced} before={{ plan: currentPlan, spec: d.spec }} error={errors.quote} />
      {update.error && Object.keys(errors).length === 0 && !conflict && (
        <p role="alert" className="text-sm text-red-600">
          {errorMessage(update.error)}
        </p>
      )}
      <PendingNote pending={update.isPending} />
      <Button type="submit" pending={update.isPending}>
        Apply changes
      </Button>
    </form>
  );
}

export function UpgradeForm({ d }: { d: Detail }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { org } = useOrg();
  const refresh = useRefresh(d.id);
  const catalog = useQuery(trpc.catalog.get.queryOptions());
  const upgrade = useMutation(
    trpc.deployments.upgrade.mutationOptions({
      onSuccess: () => (toast('success', 'Upgrade accepted. The reconciler is rolling it out.'), refresh()),
      onError: () => refresh(),
    }),
  );
  const newer = (catalog.data?.versions ?? []).filter((v) => compareVersions(v.version, d.spec.version) > 0);
  if (newer.length === 0) return <p className="text-sm text-slate-600">Redis {d.spec.version} is the newest version offered.</p>;
  return (
    <form
      className="flex flex-wrap items-end gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        upgrade.mutate({ orgId: org.id, deploymentId: d.id, expectedGeneration: d.generation, version: String(new FormData(e.currentTarget).get('version')) });
      }}
    >
      <Field id="version" label={`Upgrade from ${d.spec.version} to`}>
        <Select id="version" name="version" className="w-40">
          {newer.map((v) => (
            <option key={v.id}>{v.version}</option>
          ))}
        </Select>
      </Field>
      <Button type="submit" variant="secondary" pending={upgrade.isPending}>
        Upgrade
      </Button>
      {upgrade.error && <p role="alert" className="w-full text-sm text-red-600">{errorMessage(upgrade.error)}</p>}
    </form>
  );
}

/** Deleting needs the name typed out; the server checks it too. */
export function DeleteForm({ d }: { d: Detail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const { org } = useOrg();
  const refresh = useRefresh(d.id);
  const [typed, setTyped] = useState('');
  const remove = useMutation(
    trpc.deployments.delete.mutationOptions({
      onSuccess: () => {
        toast('success', `Deleting ${d.name}. Its application goes first, then its infrastructure.`);
        void refresh();
        router.refresh();
      },
    }),
  );
  const errors = fieldErrors(remove.error);
  return (
    <form
      noValidate
      className="space-y-3"
      onSubmit={(e) => {
        e.preventDefault();
        remove.mutate({ orgId: org.id, deploymentId: d.id, confirmName: typed });
      }}
    >
      <FinalSnapshotNote deploymentId={d.id} />
      <Field id="confirmName" label={`Type ${d.name} to confirm`} error={errors.confirmName ?? (remove.error && !errors.confirmName ? errorMessage(remove.error) : undefined)}>
        <Input id="confirmName" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" invalid={!!remove.error} />
      </Field>
      <Button type="submit" variant="danger" disabled={typed !== d.name} pending={remove.isPending}>
        Delete deployment
      </Button>
    </form>
  );
}
