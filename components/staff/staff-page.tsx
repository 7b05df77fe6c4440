'use client';

import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { fieldErrors } from '~/lib/errors';
import { useTRPC } from '~/components/providers';
import { Button } from '~/components/ui/button';
import { Badge, Card } from '~/components/ui/card';
import { Field, Input, Select } from '~/components/ui/field';
import { formatDate } from '~/lib/format';
import { ActionDialog } from './action-dialog';
import { useTenantAction } from './use-tenant-action';
import { QueryError } from '~/components/ui/page-states';

type Role = 'support' | 'admin' | 'none';
const roleText: Record<Role, string> = { admin: 'admin (reads and changes everything)', support: 'support (reads everything, changes nothing)', none: 'no staff role' };

function RoleDialog({ initial, trigger }: { initial?: { email: string; role: Role }; trigger: (show: () => void) => ReactNode }) {
  const trpc = useTRPC();
  const a = useTenantAction();
  const [email, setEmail] = useState(initial?.email ?? '');
  const [role, setRole] = useState<Role>(initial?.role ?? 'support');
  const set = useMutation(trpc.staff.people.setRole.mutationOptions({ onSuccess: (r) => a.done(r.staffRole === 'none' ? `${r.email} is no longer staff.` : `${r.email} is now ${r.staffRole}.`) }));
  const errors = fieldErrors(set.error);
  return (
    <>
      {trigger(() => (set.reset(), setEmail(initial?.email ?? ''), setRole(initial?.role ?? 'support'), a.show()))}
      <ActionDialog
        open={a.open}
        onClose={a.hide}
        title={role === 'none' ? 'Revoke a staff role' : 'Grant a staff role'}
        confirmLabel={role === 'none' ? 'Revoke role' : 'Grant role'}
        danger={role === 'none' || role === 'admin'}
        pending={set.isPending}
        error={set.error}
        summary={email ? <><strong>{email}</strong> will have {roleText[role]}, from their next request.</> : 'Enter the email of someone who has signed up.'}
        onConfirm={(reason) => set.mutate({ email, role, reason, confirm: true })}
      >
        <Field id="staff-email" label="Email" error={errors.email}>
          <Input id="staff-email" type="email" value={email} readOnly={!!initial} onChange={(e) => setEmail(e.target.value)} invalid={!!errors.email} />
        </Field>
        <Field id="staff-role" label="Role" error={errors.role}>
          <Select id="staff-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="support">Support</option>
            <option value="admin">Admin</option>
            <option value="none">None (revoke)</option>
          </Select>
        </Field>
      </ActionDialog>
    </>
  );
}

export function StaffPage({ admin, meId }: { admin: boolean; meId: string }) {
  const trpc = useTRPC();
  const q = useQuery(trpc.staff.people.list.queryOptions());
  if (q.isPending) return <Card className="p-6 text-sm text-slate-500">Loading staff…</Card>;
  if (q.error) return <QueryError error={q.error} retry={q.refetch} />;
  return (
    <div className="space-y-6">
      <Card>
        <div className="flex items-center justify-between border-b border-slate-100 px-5 py-3">
          <h2 className="text-sm font-semibold text-slate-900">Staff members</h2>
          {admin && <RoleDialog trigger={(show) => <Button size="sm" onClick={show}>Grant a role</Button>} />}
        </div>
        <ul className="divide-y divide-slate-100">
          {q.data.members.map((m) => (
            <li key={m.id} className="flex items-center justify-between gap-3 px-5 py-3 text-sm" data-testid={`staff-${m.email}`}>
              <div>
                <div className="text-slate-900">{m.email}{m.id === meId && <span className="ml-2"><Badge>you</Badge></span>}</div>
                <div className="text-xs text-slate-500">account since {formatDate(m.createdAt)}</div>
              </div>
              <div className="flex items-center gap-3">
                <Badge tone={m.staffRole === 'admin' ? 'amber' : 'indigo'}>{m.staffRole}</Badge>
                {admin && m.id !== meId && (
                  <RoleDialog initial={{ email: m.email, role: m.staffRole }} trigger={(show) => <Button size="sm" variant="secondary" onClick={show}>Change…</Button>} />
                )}
              </div>
            </li>
          ))}
        </ul>
      </Card>
      <Card>
        <div className="border-b border-slate-100 px-5 py-3">
          <h2 className="text-sm font-semibold text-slate-900">Recent role changes</h2>
        </div>
        {q.data.changes.length === 0 ? (
          <p className="px-5 py-4 text-sm text-slate-500">No role changes recorded yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {q.data.changes.map((c) => (
              <li key={c.id} className="px-5 py-3 text-sm">
                <div className="text-slate-900">
                  {c.target ?? 'unknown user'}: {c.from} → <strong>{c.to}</strong>
                </div>
                <div className="text-xs text-slate-500">
                  {formatDate(c.at)} · {c.actor ? `by ${c.actor}` : 'from the admin:create command'}
                  {c.reason && c.actor ? ` · ${c.reason}` : ''}
                </div>
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
