'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useOrg } from '~/components/console/org-context';
import { errorMessage } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Badge } from '~/components/ui/card';
import { Select } from '~/components/ui/field';
import { useToast } from '~/components/ui/toast';
import type { OrgRole } from '~/db/schema';
import { formatDate } from '~/lib/format';
import { orgRoles } from '~/lib/roles';
import { Table } from '~/components/ui/table';
import { QueryError } from '~/components/ui/page-states';

export function MemberList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { org, me, can } = useOrg();
  const members = useQuery(trpc.members.list.queryOptions({ orgId: org.id }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey({ orgId: org.id }) });
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: (r) => (toast('success', `Role changed to ${r.role}.`), refresh()),
      onError: (e) => (toast('error', errorMessage(e)), refresh()),
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: () => (toast('success', 'Member removed.'), refresh()),
      onError: (e) => toast('error', errorMessage(e)),
    }),
  );

  if (members.isPending) return <p className="p-6 text-sm text-slate-500">Loading members…</p>;
  if (members.error) return <QueryError compact error={members.error} retry={members.refetch} />;

  const manageable = (role: OrgRole) => can('admin') && (can('owner') || role !== 'owner');
  return (
    <Table columns={[{ label: 'Member' }, { label: 'Role' }, { label: 'Joined', className: 'hidden sm:table-cell' }, {}]}>
      {members.data.map((m) => (
        <tr key={m.userId} data-testid={`member-${m.email}`}>
          <td className="px-6 py-3">
            <div className="font-medium text-slate-900">
              {m.name || m.email.split('@')[0]} {m.userId === me.id && <Badge>you</Badge>}
            </div>
            <div className="text-slate-500">{m.email}</div>
          </td>
          <td className="px-6 py-3">
            {manageable(m.role) ? (
              <Select
                aria-label={`Role of ${m.email}`}
                className="w-32"
                value={m.role}
                disabled={changeRole.isPending}
                onChange={(e) => changeRole.mutate({ orgId: org.id, userId: m.userId, role: e.target.value as OrgRole })}
              >
                {orgRoles
                  .filter((r) => can('owner') || r !== 'owner')
                  .map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
              </Select>
            ) : (
              <Badge tone={m.role === 'owner' ? 'indigo' : 'slate'}>{m.role}</Badge>
            )}
          </td>
          <td className="hidden px-6 py-3 text-slate-600 sm:table-cell">{formatDate(m.joinedAt)}</td>
          <td className="px-6 py-3 text-right">
            {manageable(m.role) && m.userId !== me.id && (
              <Button
                variant="danger"
                size="sm"
                pending={remove.isPending && remove.variables?.userId === m.userId}
                onClick={() => {
                  if (window.confirm(`Remove ${m.email} from ${org.name}? They lose access at once.`)) {
                    remove.mutate({ orgId: org.id, userId: m.userId });
                  }
                }}
              >
                Remove
              </Button>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}
