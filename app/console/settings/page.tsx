import Link from 'next/link';
import { consoleHref } from '~/lib/console-href';
import { getConsoleContext } from '~/server/console';
import { PageHeader } from '~/components/ui/card';
import { OrgSettings } from '~/components/settings/org-settings';
import { OrgWindow } from '~/components/fleet/org-window';
import { DeleteOrg } from '~/components/settings/delete-org';

export const metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const { org } = await getConsoleContext();
  return (
    <>
      <PageHeader
        title="Settings"
        description="Organization details, when upgrades may run, access for automation, and deleting the organization."
        actions={
          <div className="flex gap-4">
            <Link href={consoleHref(org.slug, '/settings/api-keys')} className="text-sm font-medium text-indigo-700 hover:underline">
              API keys →
            </Link>
            <Link href={consoleHref(org.slug, '/settings/webhooks')} className="text-sm font-medium text-indigo-700 hover:underline">
              Webhooks →
            </Link>
          </div>
        }
      />
      <div className="space-y-6">
        <OrgSettings />
        <OrgWindow />
        <DeleteOrg />
      </div>
    </>
  );
}
