import { RolloutCreate } from '~/components/fleet/rollout-create';
import { RolloutList } from '~/components/fleet/rollout-list';
import { PageHeader } from '~/components/ui/card';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Rollouts' };

export default async function Rollouts() {
  const { me } = await requireStaff();
  return (
    <>
      <PageHeader title="Rollouts" description="A version shipped to many deployments in waves, inside each customer's maintenance window." />
      <div className="space-y-6">
        {me.staffRole === 'admin' && <RolloutCreate />}
        <RolloutList />
      </div>
    </>
  );
}
