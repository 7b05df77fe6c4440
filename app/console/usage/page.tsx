import { UsagePage } from '~/components/billing/usage-page';

export const metadata = { title: 'Usage' };

export default function Page() {
  return <UsagePage />;
}
