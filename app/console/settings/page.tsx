import Link from 'next/link';
import { PageHeader } from '~/components/ui/card';
import { OrgSettings } from '~/components/settings/org-settings';

export const metadata = { title: 'Settings' };

export default function SettingsPage() {
  return (
    <>
      <PageHeader
        title="Settings"
        description="Organization details."
        actions={
          <div className="flex gap-4">
            <Link href="/console/settings/api-keys" className="text-sm font-medium text-indigo-700 hover:underline">
              API keys →
            </Link>
            <Link href="/console/settings/webhooks" className="text-sm font-medium text-indigo-700 hover:underline">
              Webhooks →
            </Link>
          </div>
        }
      />
      <OrgSettings />
    </>
  );
}
