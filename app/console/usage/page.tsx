import { EmptyState, PageHeader } from '~/components/ui/card';
import { Icon } from '~/components/ui/icons';

export const metadata = { title: 'Usage' };

export default function UsagePage() {
  return (
    <>
      <PageHeader title="Usage" description="What your deployments have used, by hour and by day." />
      <EmptyState icon={<Icon name="chart" />} title="No usage recorded">
        Once a deployment runs, its deployment-hours and storage GB-hours are metered every hour and charted here,
        by deployment and by meter, with totals for the range you choose.
      </EmptyState>
    </>
  );
}
