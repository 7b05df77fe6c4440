import { ActivityPage } from '~/components/activity/activity-page';
import { PageHeader } from '~/components/ui/card';
import { Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getConsoleContext } from '~/server/console';

export const metadata = { title: 'Activity' };

export default async function Page() {
  const { org } = await getConsoleContext();
  await prefetch(trpcServer.orgs.activity.queryOptions({ orgId: org.id }));
  return (
    <Hydrate>
      <PageHeader title="Activity" description="Who did what in this organization, and when." />
      <ActivityPage />
    </Hydrate>
  );
}
