import { BillingPage } from '~/components/billing/billing-page';

export const metadata = { title: 'Billing' };

export default function Page() {
  return <BillingPage />;
}
