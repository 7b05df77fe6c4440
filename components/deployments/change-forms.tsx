'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
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

type Detail = RouterOutputs['deployments']['get'];

function useRefresh(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org } = useOrg();
  return () => queryClient.invalidateQueries({ queryKey: trpc.deployments.get.queryKey({ orgId: org.id, deploymentId: id }) });
}

/** Plan, size and config. Carries the generation the user is looking at, so a stale edit is refused, not applied. */
export function ResizeForm({ d }: { d: Detail }) {
  const trpc = useTRPC();
  const toast = useToast();
  const { org } = useOrg();
  const refresh = useRefresh(d.id);
  const catalog = useQuery(trpc.catalog.get.queryOptions());
  const [planSlug, setPlanSlug] = useState(d.spec.plan);
  const update = useMutation(
    trpc.deployments.update.mutationOptions({
      onSuccess: () => (toast('success', 'Change accepted. The reconciler is applying it.'), refresh()),
      onError: () => refresh(),
    }),
  );
  const errors = fieldErrors(update.error);
  const plan = catalog.data?.plans.find((p) => p.slug === planSlug);
  if (!catalog.data || !plan) return <p className="text-sm text-slate-500">Loading plans…</p>;
  return (
    <form
      noValidate
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate({ orgId: org.id, deploymentId: d.id, expectedGeneration: d.generation, plan: planSlug, ...readSizing(new FormData(e.currentTarget)) });
      }}
    >
      <Field id="plan" label="Plan" error={errors.plan}>
        <Select id="plan" value={planSlug} onChange={(e) => setPlanSlug(e.target.value)}>
          {catalog.data.plans.map((p) => (
            <option key={p.id} value={p.slug}>
              {p.name} — {formatPrice(p.monthlyPriceCents)}/month{p.hourlyRateCentiCents ? ` + ${formatRate(p.hourlyRateCentiCents / 100)}/hour` : ''}
            </option>
          ))}
        </Select>
      </Field>
      <SizingFields plan={plan} current={d.spec} errors={errors} />
      {update.error && Object.keys(errors).length === 0 && (
        <p role="alert" className="text-sm text-red-600">
          {errorMessage(update.error)}
        </p>
      )}
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
      <Field id="confirmName" label={`Type ${d.name} to confirm`} error={errors.confirmName ?? (remove.error && !errors.confirmName ? errorMessage(remove.error) : undefined)}>
        <Input id="confirmName" value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" invalid={!!remove.error} />
      </Field>
      <Button type="submit" variant="danger" disabled={typed !== d.name} pending={remove.isPending}>
        Delete deployment
      </Button>
    </form>
  );
}
