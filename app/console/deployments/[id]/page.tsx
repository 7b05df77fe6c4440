import { DeploymentDetail } from '~/components/deployments/deployment-detail';
import { Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getConsoleContext } from '~/server/console';

export const metadata = { title: 'Deployment' };

export default async function DeploymentPage({ params }: { params: Promise<{ id: string }> }) {
  const [{ id }, { org }] = await Promise.all([params, getConsoleContext()]);
  await prefetch(trpcServer.deployments.get.queryOptions({ orgId: org.id, deploymentId: id }));
  return (
    <Hydrate>
      <DeploymentDetail id={id} />
    </Hydrate>
  );
}
