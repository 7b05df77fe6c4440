import { MembersPage } from '~/components/members/members-page';
import { PageHeader } from '~/components/ui/card';

export const metadata = { title: 'Members' };

export default function Page() {
  return (
    <>
      <PageHeader title="Members" description="Who can see and change this organization, and with which role." />
      <MembersPage />
    </>
  );
}
