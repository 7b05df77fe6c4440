import { EmptyState, PageHeader } from '~/components/ui/card';
import { Icon } from '~/components/ui/icons';

export const metadata = { title: 'Billing' };

export default function BillingPage() {
  return (
    <>
      <PageHeader title="Billing" description="Invoices, credits and payment status for this organization." />
      <EmptyState icon={<Icon name="card" />} title="Nothing to bill yet">
        Your current invoice preview (plan fees plus usage, minus credits), past invoices and credit balance will
        appear here. Payments are not configured on this installation, so no card is needed.
      </EmptyState>
    </>
  );
}
