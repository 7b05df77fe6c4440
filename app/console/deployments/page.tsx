import { DeploymentsHeader } from '~/components/deployments/deployments-header';
import { DeploymentList } from '~/components/deployments/deployment-list';

export const metadata = { title: 'Deployments' };

export default function DeploymentsPage() {
  return (
    <>
      <DeploymentsHeader />
      <DeploymentList />
    </>
  );
}
