import { Suspense } from 'react';
import { CreateDeploymentForm } from '~/components/deployments/create-form';
import { PageHeader } from '~/components/ui/card';
import { Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';

export const metadata = { title: 'New deployment' };

export default async function NewDeploymentPage() {
  await prefetch(trpcServer.catalog.get.queryOptions());
  return (
    <Hydrate>
      <PageHeader title="New deployment" description="Choose a plan, a region and a version. It is ready in seconds." />
      <Suspense>
        <CreateDeploymentForm />
      </Suspense>
    </Hydrate>
  );
}
