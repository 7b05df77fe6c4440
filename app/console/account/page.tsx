import { AccountSettings } from '~/components/account/account-settings';
import { NotificationSettings } from '~/components/account/notifications';
import { PageHeader } from '~/components/ui/card';
import { serverApi } from '~/server/api/server';

export const metadata = { title: 'Account' };

export default async function AccountPage() {
  const me = await (await serverApi()).auth.me();
  return (
    <>
      <PageHeader title="Account" description="Your name, password, sessions and notifications." />
      <AccountSettings hasPassword={me.hasPassword} />
      <div className="mt-6">
        <NotificationSettings />
      </div>
    </>
  );
}
