import { PageHeader } from '~/components/ui/card';
import { Webhooks } from '~/components/settings/webhooks';

export const metadata = { title: 'Webhooks' };

export default function WebhooksPage() {
  return (
    <>
      <PageHeader title="Webhooks" description="Events POSTed to your endpoints, signed, with retries and a delivery log." />
      <Webhooks />
    </>
  );
}
