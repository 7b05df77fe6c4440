import { StaffPage } from '~/components/staff/staff-page';
import { PageHeader } from '~/components/ui/card';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Staff' };

export default async function Staff() {
  const { me } = await requireStaff();
  return (
    <>
      <PageHeader
        title="Staff"
        description="Support reads every tenant and changes nothing; admins also issue credits, suspend tenants and change deployments. Roles are checked on every request."
      />
      <StaffPage admin={me.staffRole === 'admin'} meId={me.id} />
    </>
  );
}
