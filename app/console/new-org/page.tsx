import { CreateOrgForm } from '~/components/console/create-org-form';
import { Card, PageHeader } from '~/components/ui/card';

export const metadata = { title: 'New organization' };

export default function NewOrgPage() {
  return (
    <>
      <PageHeader title="New organization" description="A separate workspace with its own deployments, billing and members." />
      <Card className="max-w-md p-6">
        <CreateOrgForm submitLabel="Create organization" />
      </Card>
    </>
  );
}
