import { ReconcilerHealth } from '~/components/staff/reconciler-health';
import { PageHeader } from '~/components/ui/card';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Reconciler' };

export default async function ReconcilerPage() {
  await requireStaff();
  return (
    <>
      <PageHeader title="Reconciler" description="What is waiting, who is working on what, what failed, and how fast the fleet converges. Refreshes every 5 seconds." />
      <ReconcilerHealth />
    </>
  );
}
