'use client';

import { useOrg } from '~/components/console/org-context';
import { Card } from '~/components/ui/card';
import { InviteForm } from './invite-form';
import { MemberList } from './member-list';
import { PendingInvitations } from './pending-invitations';

export function MembersPage() {
  const { can } = useOrg();
  return (
    <div className="space-y-6">
      {can('admin') && (
        <Card className="p-6">
          <h2 className="text-base font-semibold text-slate-900">Invite a teammate</h2>
          <p className="mt-1 mb-4 text-sm text-slate-600">Create a link with a role. Whoever opens it signs up or signs in, and joins.</p>
          <InviteForm />
        </Card>
      )}
      <Card>
        <MemberList />
      </Card>
      {can('admin') && (
        <Card>
          <h2 className="border-b border-slate-100 px-6 py-4 text-base font-semibold text-slate-900">Pending invitations</h2>
          <PendingInvitations />
        </Card>
      )}
    </div>
  );
}
