import { VersionsPage } from '~/components/fleet/versions-page';
import { PageHeader } from '~/components/ui/card';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Versions' };

export default async function Versions() {
  const { me } = await requireStaff();
  return (
    <>
      <PageHeader title="Versions" description="Product versions, their status (preview → available → deprecated → retired) and the upgrade paths between them." />
      <VersionsPage admin={me.staffRole === 'admin'} />
    </>
  );
}
