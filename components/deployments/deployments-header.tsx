'use client';

import Link from 'next/link';
import { useOrg } from '~/components/console/org-context';
import { buttonClass } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/card';

/** A suspended organization, or one being deleted, sees why it cannot create, before filling a form the server would refuse. */
export function DeploymentsHeader() {
  const { can, href, org } = useOrg();
  const blocked = org.deleting ? `${org.name} is being deleted: no new deployment can start.` : org.status === 'suspended' ? `${org.name} is suspended: no new deployment can start. Contact support.` : null;
  return (
    <PageHeader
      title="Deployments"
      description="Your Redis deployments in this organization. Status updates live."
      actions={
        can('member') &&
        (blocked ? (
          <div className="flex flex-col items-end gap-1">
            <button type="button" disabled aria-describedby="new-deployment-reason" className={buttonClass()}>
              New deployment
            </button>
            <p id="new-deployment-reason" className="max-w-xs text-right text-xs text-slate-600" data-testid="new-deployment-disabled">
              {blocked}
            </p>
          </div>
        ) : (
          <Link href={href('/deployments/new')} className={buttonClass()}>
            New deployment
          </Link>
        ))
      }
    />
  );
}
