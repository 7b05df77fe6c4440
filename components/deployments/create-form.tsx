'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Card } from '~/components/ui/card';
import { Field, Input, Select } from '~/components/ui/field';
import { formatPrice } from '~/lib/format';
import { readSizing, SizingFields } from './sizing-fields';
import { QueryError } from '~/components/ui/page-states';
import { PriceEstimate } from '~/components/billing/price-estimate';
import { estimateMonthly, type PricedSpec } from '~/lib/pricing';

export function CreateDeploymentForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const { org, href } = useOrg();
  const params = useSearchParams();
  const catalog = useQuery(trpc.catalog.get.queryOptions());
  const [planSlug, setPlanSlugState] = useState(params.get('plan') ?? 'free');
  // Memory and persistence as the fields show them, for the price; null until touched (the plan's defaults).
  const [sizing, setSizing] = useState<PricedSpec | null>(null);
  const setPlanSlug = (slug: string) => (setPlanSlugState(slug), setSizing(null));
  // One key per visit to this form: a double-click or a retried request makes one deployment.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const queryClient = useQueryClient();
  const create = useMutation(
    trpc.deployments.create.mutationOptions({
      onSuccess: ({ id }) => router.push(href(`/deployments/${id}`)),
      // The price moved since the page loaded it: show the new one to confirm.
      onError: (e) => void (fieldErrors(e).quote && queryClient.invalidateQueries({ queryKey: trpc.catalog.get.queryKey() })),
    }),
  );
  const errors = fieldErrors(create.error);

  if (catalog.isPending) return <Card className="p-6 text-sm text-slate-500">Loading plans…</Card>;
  if (catalog.error) return <QueryError error={catalog.error} retry={catalog.refetch} />;
  if (!catalog.data) return <Card className="p-6 text-sm text-red-600">The catalog is empty.</Card>;
  const { plans, regions, versions } = catalog.data;
  const plan = plans.find((p) => p.slug === planSlug) ?? plans[0]!;
  const general = create.error && Object.keys(errors).length === 0 ? errorMessage(create.error) : undefined;
  const priced = sizing ?? { memoryMb: plan.limits.memoryMb, persistence: plan.limits.persistence };

  return (
    <form
      noValidate
      className="space-y-6"
      onChange={(e) => {
        // A plan change re-renders the sizing fields with that plan's defaults: the fields read now are the old plan's.
        if ((e.target as unknown as HTMLInputElement).name === 'plan') return;
        const { memoryMb, persistence } = readSizing(new FormData(e.currentTarget));
        setSizing({ memoryMb, persistence });
      }}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        create.mutate({
          orgId: org.id,
          idempotencyKey,
          name: String(form.get('name') ?? ''),
          plan: plan.slug,
          region: String(form.get('region')),
          version: String(form.get('version')),
          ...readSizing(form),
          // The price shown below: the server refuses the create if it no longer holds.
          quotedMonthlyCents: estimateMonthly(plan, readSizing(form)).totalCents,
        });
      }}
    >
      <Card className="space-y-4 p-6">
        <Field id="name" label="Name" error={errors.name} hint="Lowercase letters, digits and hyphens. Part of the endpoint's hostname.">
          <Input id="name" name="name" placeholder="sessions-cache" invalid={!!errors.name} autoFocus />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium text-slate-900">Plan</legend>
          <div className="mt-2 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
            {plans.map((p) => (
              <label key={p.id} className={`cursor-pointer rounded-lg border p-3 text-sm ${p.slug === plan.slug ? 'border-indigo-600 ring-1 ring-indigo-600' : 'border-slate-200 hover:border-slate-300'}`}>
                <input type="radio" name="plan" value={p.slug} checked={p.slug === plan.slug} onChange={() => setPlanSlug(p.slug)} className="sr-only" />
                <span className="block font-semibold text-slate-900">{p.name}</span>
                <span className="block text-slate-600">≈ {formatPrice(estimateMonthly(p, { memoryMb: p.limits.memoryMb, persistence: p.limits.persistence }).totalCents)}/month</span>
                <span className="block text-xs text-slate-500">{p.summary}</span>
              </label>
            ))}
          </div>
          {errors.plan && <p role="alert" className="mt-2 text-sm text-red-600">{errors.plan}</p>}
        </fieldset>
        <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
          <Field id="region" label="Region" error={errors.region}>
            <Select id="region" name="region" defaultValue={regions[0]?.id}>
              {regions.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.name} ({r.id})
                </option>
              ))}
            </Select>
          </Field>
          <Field id="version" label="Redis version" error={errors.version}>
            <Select id="version" name="version" defaultValue={versions.at(-1)?.version}>
              {versions.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version}
                  {v.status === 'deprecated' ? ' (deprecated)' : ''}
                </option>
              ))}
            </Select>
          </Field>
        </div>
      </Card>
      <Card className="p-6">
        <h2 className="mb-4 text-base font-semibold text-slate-900">Size and configuration</h2>
        <SizingFields plan={plan} errors={errors} />
      </Card>
      <Card className="flex flex-wrap items-center justify-between gap-4 p-6">
        <div className="min-w-0 flex-1">
          <PriceEstimate plan={plan} spec={priced} error={errors.quote} />
          {general && <p role="alert" className="mt-2 text-sm text-red-600">{general}</p>}
        </div>
        <Button type="submit" pending={create.isPending || create.isSuccess}>
          Create deployment
        </Button>
      </Card>
    </form>
  );
}
