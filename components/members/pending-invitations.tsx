'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useOrg } from '~/components/console/org-context';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Badge } from '~/components/ui/card';
import { useToast } from '~/components/ui/toast';
import { formatDate } from '~/lib/format';
import { QueryError } from '~/components/ui/page-states';

export function PendingInvitations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { org } = useOrg();
  const list = useQuery(trpc.invitations.list.queryOptions({ orgId: org.id }));
  const revoke = useMutation(
    trpc.invitations.revoke.mutationOptions({
      onSuccess: () => {
        toast('success', 'Invitation revoked. Its link no longer works.');
        void queryClient.invalidateQueries({ queryKey: trpc.invitations.list.queryKey({ orgId: org.id }) });
      },
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );
  if (list.isPending) return <p className="px-6 py-4 text-sm text-slate-500">Loading invitations…</p>;
  if (list.error) return <QueryError compact error={list.error} retry={list.refetch} />;
  if (list.data.length === 0) {
    return <p className="px-6 py-4 text-sm text-slate-500">No pending invitations. Links you create appear here until they are used, revoked or expire.</p>;
  }
  return (
    <ul className="divide-y divide-slate-100">
      {list.data.map((inv) => (
        <li key={inv.id} className="flex items-center justify-between gap-4 px-6 py-3 text-sm">
          <div>
            <span className="font-medium text-slate-900">{inv.email ?? 'Anyone with the link'}</span> <Badge>{inv.role}</Badge>
            <div className="text-xs text-slate-500">
              Invited by {inv.invitedBy} · expires {formatDate(inv.expiresAt)}
            </div>
          </div>
          <Button variant="ghost" size="sm" pending={revoke.isPending && revoke.variables?.invitationId === inv.id} onClick={() => revoke.mutate({ orgId: org.id, invitationId: inv.id })}>
            Revoke
          </Button>
        </li>
      ))}
    </ul>
  );
}
