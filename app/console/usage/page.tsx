import { UsagePage } from '~/components/billing/usage-page';
import { usageWindow } from '~/lib/inputs/billing';
import { Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getConsoleContext } from '~/server/console';

export const metadata = { title: 'Usage' };

export default async function Page() {
  const { org } = await getConsoleContext();
  // The page opens on the last 24 hours; within the same minute its query key is this one.
  await prefetch(trpcServer.billing.usage.queryOptions({ orgId: org.id, range: usageWindow('24h') }));
  return (
    <Hydrate>
      <UsagePage />
    </Hydrate>
  );
}
