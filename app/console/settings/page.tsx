import { PageHeader } from '~/components/ui/card';
import { OrgSettings } from '~/components/settings/org-settings';

export const metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Organization details." />
      <OrgSettings />
    </>
  );
}
