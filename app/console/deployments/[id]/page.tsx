import { notFound } from 'next/navigation';
import { DeploymentDetail } from '~/components/deployments/deployment-detail';
import { getQueryClient, Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getConsoleContext } from '~/server/console';

export const metadata = { title: 'Deployment' };

/** A deployment that is not in this organization (or an id that is not one) is a real 404, not a 200 page saying so. */
function isMissing(error: unknown) {
  const code = (error as { code?: string } | null)?.code;
  return code === 'NOT_FOUND' || code === 'BAD_REQUEST';
}

export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, { org }] = await Promise.all([params, getConsoleContext()]);
  const options = trpcServer.deployments.get.queryOptions({ orgId: org.id, deploymentId: id });
  await prefetch(options);
  if (isMissing(getQueryClient().getQueryState(options.queryKey)?.error)) notFound();
  return (
    <Hydrate>
      <DeploymentDetail id={id} />
    </Hydrate>
  );
}
