import { TenantView } from '~/components/staff/tenant-view';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Tenant' };

/** Guarded here as well as in the layout: the two render in parallel. */
export default async function TenantPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ me }, { id }] = await Promise.all([requireStaff(), params]);
  return <TenantView orgId={id} admin={me.staffRole === 'admin'} />;
}
