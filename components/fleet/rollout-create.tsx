'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Section } from '~/components/ui/card';
import { Field, Input, Select } from '~/components/ui/field';
import { errorMessage, fieldErrors } from '~/lib/errors';
import type { RolloutPlanInput } from '~/lib/inputs/fleet';

const fmt = (d: Date | null) => (d ? new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }).format(d) : '—');
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

/** A rollout form: "Dry run" shows the blast radius; "Start rollout" creates it with the same settings. */
export function RolloutCreate() {
  const trpc = useTRPC();
  const router = useRouter();
  const versions = useQuery(trpc.staff.fleet.versions.queryOptions());
  const [planned, setPlanned] = useState<RolloutPlanInput | null>(null);
  const dry = useQuery({ ...trpc.staff.fleet.dryRun.queryOptions(planned!), enabled: planned !== null, retry: false });
  const create = useMutation(trpc.staff.fleet.createRollout.mutationOptions({ onSuccess: (r) => router.push(`/admin/rollouts/${r.id}`) }));
  const errors = { ...fieldErrors(dry.error), ...fieldErrors(create.error) };
  const read = (form: HTMLFormElement): RolloutPlanInput => {
    const f = new FormData(form);
    const deadline = String(f.get('deadline') ?? '');
    return {
      targetVersion: String(f.get('targetVersion') ?? ''),
      selector: { versions: list(String(f.get('versions') ?? '')), plans: list(String(f.get('plans') ?? '')), regions: list(String(f.get('regions') ?? '')), orgIds: list(String(f.get('orgIds') ?? '')) },
      noticeDays: Number(f.get('noticeDays')),
      deadline: deadline ? new Date(deadline) : null,
      maxDefers: Number(f.get('maxDefers')),
      canary: { size: Number(f.get('canarySize')), unit: String(f.get('canaryUnit')) as 'count' | 'percent' },
      wavePercent: Number(f.get('wavePercent')),
      maxConcurrency: Number(f.get('maxConcurrency')),
      failureBudgetPct: Number(f.get('failureBudgetPct')),
    };
  };
  const available = (versions.data ?? []).filter((v) => v.status === 'available');

  return (
    <Section title="New rollout" description="Choose the target and the waves, review the dry run, then start.">
      <form
        noValidate
        className="space-y-4 p-6"
        onSubmit={(e) => {
          e.preventDefault();
          const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
          const input = read(e.currentTarget);
          if (submitter?.value === 'create') create.mutate(input);
          else setPlanned(input);
        }}
      >
        <div className="grid gap-4 sm:grid-cols-3">
          <Field id="r-target" label="Target version" error={errors.targetVersion}>
            <Select id="r-target" name="targetVersion">
              {available.map((v) => (
                <option key={v.id} value={v.version}>
                  {v.version} ({v.severity})
                </option>
              ))}
            </Select>
          </Field>
          <Field id="r-notice" label="Notice (days)" error={errors.noticeDays}><Input id="r-notice" name="noticeDays" type="number" defaultValue={0} /></Field>
          <Field id="r-deadline" label="Deadline (security/critical)" error={errors.deadline}><Input id="r-deadline" name="deadline" type="datetime-local" /></Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-4">
          <Field id="r-versions" label="From versions (comma)" error={errors['selector.versions']}><Input id="r-versions" name="versions" placeholder="all" /></Field>
          <Field id="r-plans" label="Plans" error={errors['selector.plans']}><Input id="r-plans" name="plans" placeholder="all" /></Field>
          <Field id="r-regions" label="Regions" error={errors['selector.regions']}><Input id="r-regions" name="regions" placeholder="all" /></Field>
          <Field id="r-orgs" label="Organization ids" error={errors['selector.orgIds'] ?? errors.selector}><Input id="r-orgs" name="orgIds" placeholder="all" /></Field>
        </div>
        <div className="grid gap-4 sm:grid-cols-6">
          <Field id="r-canary" label="Canary size" error={errors['canary.size']}><Input id="r-canary" name="canarySize" type="number" defaultValue={1} /></Field>
          <Field id="r-canary-unit" label="Canary unit"><Select id="r-canary-unit" name="canaryUnit"><option value="count">deployments</option><option value="percent">percent</option></Select></Field>
          <Field id="r-wave" label="Wave size (%)" error={errors.wavePercent}><Input id="r-wave" name="wavePercent" type="number" defaultValue={25} /></Field>
          <Field id="r-conc" label="Max concurrency" error={errors.maxConcurrency}><Input id="r-conc" name="maxConcurrency" type="number" defaultValue={50} /></Field>
          <Field id="r-budget" label="Failure budget (%)" error={errors.failureBudgetPct}><Input id="r-budget" name="failureBudgetPct" type="number" defaultValue={2} /></Field>
          <Field id="r-defers" label="Defers allowed" error={errors.maxDefers}><Input id="r-defers" name="maxDefers" type="number" defaultValue={2} /></Field>
        </div>
        <div className="flex gap-2">
          <Button type="submit" variant="secondary" value="dry" pending={dry.isFetching}>Dry run</Button>
          <Button type="submit" value="create" pending={create.isPending} disabled={!dry.data}>Start rollout</Button>
        </div>
        {(dry.error || create.error) && !Object.keys(errors).length && <p className="text-sm text-red-700">{errorMessage(dry.error ?? create.error)}</p>}
      </form>
      {dry.data && (
        <div className="border-t border-slate-100 p-6 text-sm" data-testid="dry-run">
          <p className="font-medium text-slate-900">
            {dry.data.total} deployments to {dry.data.targetVersion} ({dry.data.severity}), from {fmt(dry.data.startsAt)}; estimated finish {fmt(dry.data.estimatedFinish)}.
          </p>
          <ul className="mt-2 space-y-1">
            {dry.data.waves.map((w) => (
              <li key={w.index}>
                <strong>{w.name}</strong>: {w.size} deployments, {w.maxConcurrency} at a time, done by {fmt(w.estimatedFinish)} · windows: {w.windows.map((x) => `${x.window} (${x.deployments})`).join('; ')}
              </li>
            ))}
          </ul>
          <p className="mt-3 font-medium text-slate-900">Excluded: {dry.data.excluded.total}</p>
          <ul className="mt-1 space-y-0.5 text-slate-700">
            {Object.entries(dry.data.excluded.byReason).map(([reason, n]) => (
              <li key={reason}>{n} · {reason}</li>
            ))}
          </ul>
        </div>
      )}
    </Section>
  );
}
