import { BillingPage } from '~/components/billing/billing-page';
import { Hydrate, prefetch, trpcServer } from '~/server/api/prefetch';
import { getConsoleContext } from '~/server/console';

export const metadata = { title: 'Billing' };

export default async function Page() {
  const { org } = await getConsoleContext();
  await prefetch(trpcServer.billing.overview.queryOptions({ orgId: org.id }));
  return (
    <Hydrate>
      <BillingPage />
    </Hydrate>
  );
}
