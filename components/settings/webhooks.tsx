'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Badge, Card } from '~/components/ui/card';
import { CopyButton } from '~/components/ui/copy-button';
import { Field, Input } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { CUSTOMER_EVENT_TYPES, EVENT_DESCRIPTIONS } from '~/lib/events';
import { formatDate } from '~/lib/format';

/** Settings → Webhooks: register endpoints (the signing secret is shown once), send a test, read deliveries. */
export function Webhooks() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { org, can } = useOrg();
  const [secret, setSecret] = useState<string>();
  const listKey = trpc.webhooks.list.queryKey({ orgId: org.id });
  const list = useQuery({ ...trpc.webhooks.list.queryOptions({ orgId: org.id }), enabled: can('admin') });
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({ onSuccess: (w) => (setSecret(w.secret), void queryClient.invalidateQueries({ queryKey: listKey })) }),
  );
  const errors = fieldErrors(create.error);
  if (!can('admin')) {
    return (
      <Card className="p-6">
        <p className="text-sm text-slate-600">Only owners and admins manage webhooks.</p>
      </Card>
    );
  }
  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="text-base font-semibold text-slate-900">Add an endpoint</h2>
        <p className="mt-1 text-sm text-slate-600">
          Plinth POSTs each event as JSON, signed in the <span className="font-mono">Plinth-Signature</span> header (see the docs), and retries with a backoff until your endpoint answers 2xx.
        </p>
        <form
          noValidate
          className="mt-4 space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            create.mutate({ orgId: org.id, url: String(f.get('url') ?? ''), events: f.getAll('events').map(String) as typeof CUSTOMER_EVENT_TYPES, description: String(f.get('description') ?? '') });
          }}
        >
          <Field id="hook-url" label="URL" error={errors.url}>
            <Input id="hook-url" name="url" placeholder="https://example.com/plinth-webhooks" invalid={!!errors.url} />
          </Field>
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Events</legend>
            {errors.events && <p className="text-sm text-red-600">{errors.events}</p>}
            <div className="mt-2 grid gap-2 sm:grid-cols-2">
              {CUSTOMER_EVENT_TYPES.map((t) => (
                <label key={t} className="flex items-start gap-2 text-sm text-slate-700">
                  <input type="checkbox" name="events" value={t} className="mt-1" />
                  <span>
                    <span className="font-mono">{t}</span>
                    <span className="block text-xs text-slate-500">{EVENT_DESCRIPTIONS[t]}</span>
                  </span>
                </label>
              ))}
            </div>
          </fieldset>
          <Field id="hook-description" label="Description (optional)" error={errors.description}>
            <Input id="hook-description" name="description" invalid={!!errors.description} />
          </Field>
          {create.error && !errors.url && !errors.events && !errors.description && (
            <p role="alert" className="text-sm text-red-600">
              {errorMessage(create.error)}
            </p>
          )}
          <Button type="submit" pending={create.isPending}>
            Add endpoint
          </Button>
        </form>
        {secret && (
          <div className="mt-4 rounded-lg border border-emerald-200 bg-emerald-50 p-4">
            <p className="text-sm font-medium text-emerald-900">Endpoint added. Copy its signing secret now — it is shown only once.</p>
            <div className="mt-2 flex gap-2">
              <Input readOnly value={secret} aria-label="Signing secret" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={secret} />
            </div>
          </div>
        )}
      </Card>
      {list.isPending ? (
        <p className="text-sm text-slate-500">Loading endpoints…</p>
      ) : list.error ? (
        <p role="alert" className="text-sm text-red-600">{errorMessage(list.error)}</p>
      ) : (
        list.data.map((w) => <Endpoint key={w.id} hook={w} />)
      )}
    </div>
  );
}

function Endpoint({ hook }: { hook: { id: string; url: string; events: string[]; description: string; createdAt: Date } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { org } = useOrg();
  const deliveriesKey = trpc.webhooks.deliveries.queryKey({ orgId: org.id, webhookId: hook.id });
  const deliveries = useQuery({ ...trpc.webhooks.deliveries.queryOptions({ orgId: org.id, webhookId: hook.id }), refetchInterval: 5000 });
  const refresh = () => void queryClient.invalidateQueries({ queryKey: deliveriesKey });
  const test = useMutation(trpc.webhooks.test.mutationOptions({ onSuccess: () => (toast('success', 'Test ping queued.'), refresh()), onError: (e) => toast('error', errorMessage(e)) }));
  const redeliver = useMutation(trpc.webhooks.redeliver.mutationOptions({ onSuccess: () => (toast('success', 'Queued again.'), refresh()), onError: (e) => toast('error', errorMessage(e)) }));
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.webhooks.list.queryKey({ orgId: org.id }) }),
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );
  return (
    <Card>
      <div className="flex flex-wrap items-start justify-between gap-3 px-6 pt-5">
        <div className="min-w-0">
          <p className="font-mono text-sm break-all text-slate-900">{hook.url}</p>
          <p className="mt-1 text-xs text-slate-500">
            {hook.events.join(', ')}
            {hook.description && ` · ${hook.description}`} · added {formatDate(hook.createdAt)}
          </p>
        </div>
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" pending={test.isPending} onClick={() => test.mutate({ orgId: org.id, webhookId: hook.id })}>
            Send test
          </Button>
          <Button size="sm" variant="ghost" pending={remove.isPending} onClick={() => window.confirm(`Delete ${hook.url}?`) && remove.mutate({ orgId: org.id, webhookId: hook.id })}>
            Delete
          </Button>
        </div>
      </div>
      <ul className="mt-3 divide-y divide-slate-100 border-t border-slate-100 text-sm">
        {(deliveries.data ?? []).length === 0 && <li className="px-6 py-3 text-slate-500">No deliveries yet.</li>}
        {(deliveries.data ?? []).map((d) => (
          <li key={d.id} className="flex flex-wrap items-center justify-between gap-3 px-6 py-2">
            <span>
              <Badge tone={d.status === 'succeeded' ? 'emerald' : d.status === 'failed' ? 'red' : 'slate'}>{d.status}</Badge> <span className="font-mono text-xs">{d.type}</span>
              <span className="ml-2 text-xs text-slate-500">
                {formatDate(d.createdAt, 'dateTime')} · {d.attempts} attempt{d.attempts === 1 ? '' : 's'}
                {d.responseStatus !== null && ` · HTTP ${d.responseStatus}`}
                {d.latencyMs !== null && ` · ${d.latencyMs} ms`}
                {d.lastError && ` · ${d.lastError}`}
              </span>
            </span>
            {d.status !== 'pending' && (
              <Button size="sm" variant="ghost" pending={redeliver.isPending && redeliver.variables?.deliveryId === d.id} onClick={() => redeliver.mutate({ orgId: org.id, deliveryId: d.id })}>
                Redeliver
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
