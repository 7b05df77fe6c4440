import { EmptyState, PageHeader } from '~/components/ui/card';
import { Icon } from '~/components/ui/icons';

export const metadata = { title: 'Deployments' };

export default function DeploymentsPage() {
  return (
    <>
      <PageHeader title="Deployments" description="Your Redis deployments in this organization." />
      <EmptyState icon={<Icon name="server" />} title="No deployments yet">
        Each deployment you create appears here with its plan, region, version and live status, from
        provisioning to ready, with its endpoint and credentials. Self-service creation is not available on this
        installation yet.
      </EmptyState>
    </>
  );
}
