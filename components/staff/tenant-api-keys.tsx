'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/components/providers';
import { Badge } from '~/components/ui/card';
import { errorMessage } from '~/lib/errors';
import { formatDate } from '~/lib/format';

/** A tenant's API keys for support: what exists and when it was last used. The secrets are not stored. */
export function TenantApiKeys({ orgId }: { orgId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.staff.tenants.apiKeys.queryOptions({ orgId }));
  if (q.isPending) return <p className="px-5 py-4 text-sm text-slate-500">Loading keys…</p>;
  if (q.error) return <p role="alert" className="px-5 py-4 text-sm text-red-600">{errorMessage(q.error)}</p>;
  if (q.data.length === 0) return <p className="px-5 py-4 text-sm text-slate-500">No API keys.</p>;
  return (
    <ul className="divide-y divide-slate-100" data-testid="tenant-api-keys">
      {q.data.map((k) => (
        <li key={k.id} className="px-5 py-2.5 text-sm">
          <div className="flex items-center justify-between gap-3">
            <span className="truncate text-slate-900">{k.name}</span>
            <Badge tone={k.revokedAt ? 'slate' : 'indigo'}>{k.revokedAt ? 'revoked' : k.role}</Badge>
          </div>
          <div className="text-xs text-slate-500">
            <span className="font-mono">plk_{k.prefix}</span> · {k.createdByEmail} · {k.lastUsedAt ? `used ${formatDate(k.lastUsedAt, 'dateTime')} from ${k.lastUsedIp}` : 'never used'}
          </div>
        </li>
      ))}
    </ul>
  );
}
