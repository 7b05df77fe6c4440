import { RolloutView } from '~/components/fleet/rollout-view';
import { PageHeader } from '~/components/ui/card';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Rollout' };

export default async function Rollout({ params }: { params: Promise<{ id: string }> }) {
  const [{ me }, { id }] = await Promise.all([requireStaff(), params]);
  return (
    <>
      <PageHeader title="Rollout" description="Live counts per state and wave; refreshes every 2 seconds." />
      <RolloutView id={id} admin={me.staffRole === 'admin'} />
    </>
  );
}
