import { DeploymentsHeader } from '~/components/deployments/deployments-header';
import { DeploymentList } from '~/components/deployments/deployment-list';
import { Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getConsoleContext } from '~/server/console';

export const metadata = { title: 'Deployments' };

export default async function DeploymentsPage() {
  const { org } = await getConsoleContext();
  await prefetch(trpcServer.deployments.list.queryOptions({ orgId: org.id }));
  return (
    <Hydrate>
      <DeploymentsHeader />
      <DeploymentList />
    </Hydrate>
  );
}
