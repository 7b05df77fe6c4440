'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useOrg } from '~/components/console/org-context';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Badge, Card } from '~/components/ui/card';
import { CopyButton } from '~/components/ui/copy-button';
import { Field, Input, Select } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import { errorMessage, fieldErrors } from '~/lib/errors';
import { formatDate } from '~/lib/format';
import { API_KEY_ROLES } from '~/lib/inputs/api-keys';
import { hasRole, roleLabels } from '~/lib/roles';

/** Settings → API keys: owners and admins create keys (the secret is shown once), see their use, revoke them. */
export function ApiKeys() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { org, can, href } = useOrg();
  const [secret, setSecret] = useState<string>();
  const listKey = trpc.apiKeys.list.queryKey({ orgId: org.id });
  const list = useQuery({ ...trpc.apiKeys.list.queryOptions({ orgId: org.id }), enabled: can('admin') });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (k) => (setSecret(k.key), void queryClient.invalidateQueries({ queryKey: listKey })),
    }),
  );
  const revoke = useMutation(
    trpc.apiKeys.revoke.mutationOptions({
      onSuccess: () => (toast('success', 'Key revoked. Requests using it are refused from now on.'), void queryClient.invalidateQueries({ queryKey: listKey })),
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );
  const errors = fieldErrors(create.error);

  if (!can('admin')) {
    return (
      <Card className="p-6">
        <p className="text-sm text-slate-600">Only owners and admins manage API keys. Ask one of them for a key.</p>
      </Card>
    );
  }
  return (
    <div className="space-y-6">
      <Card className="p-6">
        <h2 className="text-base font-semibold text-slate-900">Create a key</h2>
        <p className="mt-1 text-sm text-slate-600">
          A key acts for you in this organization, with the role you choose (never more than yours). Use it with the REST API
          (<a className="text-indigo-700 underline" href={href('/api')}>reference</a>) or the <span className="font-mono">plinth</span> command line.
        </p>
        <form
          noValidate
          className="mt-4 grid gap-4 sm:grid-cols-[1fr_1fr_1fr_auto] sm:items-start"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const expires = String(f.get('expiresAt') ?? '');
            create.mutate({ orgId: org.id, name: String(f.get('name') ?? ''), role: String(f.get('role')) as 'member', expiresAt: expires ? new Date(`${expires}T23:59:59Z`) : null });
          }}
        >
          <Field id="key-name" label="Name" error={errors.name}>
            <Input id="key-name" name="name" placeholder="CI" invalid={!!errors.name} />
          </Field>
          <Field id="key-role" label="Role" error={errors.role}>
            <Select id="key-role" name="role" defaultValue="member">
              {API_KEY_ROLES.filter((r) => hasRole(org.role, r)).map((r) => (
                <option key={r} value={r}>
                  {roleLabels[r]}
                </option>
              ))}
            </Select>
          </Field>
          <Field id="key-expires" label="Expires (optional)" error={errors.expiresAt}>
            <Input id="key-expires" name="expiresAt" type="date" invalid={!!errors.expiresAt} />
          </Field>
          <Button type="submit" className="sm:mt-7" pending={create.isPending}>
            Create key
          </Button>
        </form>
        {create.error && !errors.name && !errors.role && !errors.expiresAt && (
          <p role="alert" className="mt-3 text-sm text-red-600">
            {errorMessage(create.error)}
          </p>
        )}
        {secret && (
          <div className="mt-4 rounded-lg border border-emerald-200 bg-emerald-50 p-4">
            <p className="text-sm font-medium text-emerald-900">Key created. Copy it now — it is shown only once.</p>
            <div className="mt-2 flex gap-2">
              <Input readOnly value={secret} aria-label="API key" data-testid="api-key-secret" onFocus={(e) => e.currentTarget.select()} />
              <CopyButton value={secret} />
            </div>
          </div>
        )}
      </Card>
      <Card>
        <h2 className="px-6 pt-5 text-base font-semibold text-slate-900">Keys</h2>
        {list.isPending ? (
          <p className="px-6 py-4 text-sm text-slate-500">Loading keys…</p>
        ) : list.error ? (
          <p role="alert" className="px-6 py-4 text-sm text-red-600">{errorMessage(list.error)}</p>
        ) : list.data.length === 0 ? (
          <p className="px-6 py-4 text-sm text-slate-500">No keys yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100" data-testid="api-keys">
            {list.data.map((k) => (
              <li key={k.id} className="flex flex-wrap items-center justify-between gap-4 px-6 py-3 text-sm">
                <div className="min-w-0">
                  <span className="font-medium text-slate-900">{k.name}</span> <Badge>{k.role}</Badge>{' '}
                  <span className="font-mono text-xs text-slate-500">plk_{k.prefix}_…</span>
                  <div className="text-xs text-slate-500">
                    By {k.createdByEmail} · {k.lastUsedAt ? `last used ${formatDate(k.lastUsedAt, 'dateTime')} from ${k.lastUsedIp}` : 'never used'}
                    {k.expiresAt && ` · expires ${formatDate(k.expiresAt)}`}
                    {k.revokedAt && ` · revoked ${formatDate(k.revokedAt)}`}
                  </div>
                </div>
                {!k.revokedAt && (
                  <Button
                    variant="ghost"
                    size="sm"
                    pending={revoke.isPending && revoke.variables?.keyId === k.id}
                    onClick={() => window.confirm(`Revoke "${k.name}"? Anything using it stops working.`) && revoke.mutate({ orgId: org.id, keyId: k.id })}
                  >
                    Revoke
                  </Button>
                )}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
