import { Suspense } from 'react';
import { CreateDeploymentForm } from '~/components/deployments/create-form';
import { PageHeader } from '~/components/ui/card';

export const metadata = { title: 'New deployment' };

export default function NewDeploymentPage() {
  return (
    <>
      <PageHeader title="New deployment" description="Choose a plan, a region and a version. It is ready in seconds." />
      <Suspense>
        <CreateDeploymentForm />
      </Suspense>
    </>
  );
}
