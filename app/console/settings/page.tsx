import { PageHeader } from '~/components/ui/card';
import { OrgSettings } from '~/components/settings/org-settings';
import { OrgWindow } from '~/components/fleet/org-window';

export const metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader title="Settings" description="Organization details and when upgrades may run." />
      <div className="space-y-6">
        <OrgSettings />
        <OrgWindow />
      </div>
    </>
  );
}
