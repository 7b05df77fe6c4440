'use client';

import Link from 'next/link';
import { useOrg } from '~/components/console/org-context';
import { buttonClass } from '~/components/ui/button';
import { PageHeader } from '~/components/ui/card';

export function DeploymentsHeader() {
  const { can, href } = useOrg();
  return (
    <PageHeader
      title="Deployments"
      description="Your Redis deployments in this organization. Status updates live."
      actions={can('member') && <Link href={href('/deployments/new')} className={buttonClass()}>New deployment</Link>}
    />
  );
}
