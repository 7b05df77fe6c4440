import Link from 'next/link';
import type { ReactNode } from 'react';
import { ConsoleNav } from '~/components/console/nav';
import { OrgProvider } from '~/components/console/org-context';
import { OrgSwitcher } from '~/components/console/org-switcher';
import { Logo } from '~/components/ui/logo';
import { signOut } from '~/server/auth';
import { getConsoleContext } from '~/server/console';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { me, orgs, org } = await getConsoleContext();
  return (
    <OrgProvider org={org} me={me}>
      <div className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3 sm:px-6">
            <div className="flex items-center gap-4">
              <Logo href="/console" />
              <span className="text-slate-300">/</span>
              <OrgSwitcher orgs={orgs} activeId={org.id} />
            </div>
            <div className="flex items-center gap-3 text-sm">
              {me.staffRole !== 'none' && (
                <Link href="/admin" className="rounded-md bg-amber-50 px-2.5 py-1.5 font-medium text-amber-800 hover:bg-amber-100">
                  Internal
                </Link>
              )}
              <Link href="/console/account" className="hidden text-slate-600 hover:text-slate-900 sm:inline" data-testid="user-email" title="Your account">
                {me.email}
              </Link>
              <form
                action={async () => {
                  'use server';
                  await signOut({ redirectTo: '/sign-in' });
                }}
              >
                <button type="submit" className="rounded-md px-2.5 py-1.5 font-medium text-slate-700 hover:bg-slate-100">
                  Sign out
                </button>
              </form>
            </div>
          </div>
        </header>
        {org.status === 'suspended' && (
          <div role="alert" data-testid="suspended-banner" className="border-b border-amber-200 bg-amber-50 px-6 py-2.5 text-center text-sm text-amber-900">
            <span className="font-semibold">
              {org.name} is suspended{org.suspendedReason ? `: ${org.suspendedReason.replace(/[.!?]*$/, '.')}` : '.'}
            </span>{' '}
            You can still sign in and see everything, but no new operation can start. Contact support to resolve it.
          </div>
        )}
        <div className="mx-auto flex max-w-7xl flex-col gap-6 px-4 py-6 sm:px-6 lg:flex-row lg:gap-10 lg:py-10">
          <aside className="lg:w-52 lg:flex-none">
            <ConsoleNav />
          </aside>
          <main className="min-w-0 flex-1">{children}</main>
        </div>
      </div>
    </OrgProvider>
  );
}
