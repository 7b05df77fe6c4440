import { MembersPage } from '~/components/members/members-page';
import { PageHeader } from '~/components/ui/card';
import { hasRole } from '~/lib/roles';
import { Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getConsoleContext } from '~/server/console';

export const metadata = { title: 'Members' };

export default async function Page() {
  const { org } = await getConsoleContext();
  await prefetch(
    trpcServer.members.list.queryOptions({ orgId: org.id }),
    // Only admins see pending invitations; asking for others would only be refused.
    ...(hasRole(org.role, 'admin') ? [trpcServer.invitations.list.queryOptions({ orgId: org.id })] : []),
  );
  return (
    <Hydrate>
      <PageHeader title="Members" description="Who can see and change this organization, and with which role." />
      <MembersPage />
    </Hydrate>
  );
}
