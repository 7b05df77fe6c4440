import Link from 'next/link';
import { cookies } from 'next/headers';
import type { ReactNode } from 'react';
import { ConsoleNav } from '~/components/console/nav';
import { OrgProvider } from '~/components/console/org-context';
import { OrgSwitcher } from '~/components/console/org-switcher';
import { Logo } from '~/components/ui/logo';
import { ThemeToggle } from '~/components/ui/theme-toggle';
import { consoleHref } from '~/lib/console-href';
import { parseTheme, THEME_COOKIE } from '~/lib/theme';
import { signOut } from '~/server/auth';
import { getConsoleContext } from '~/server/console';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const { me, orgs, org } = await getConsoleContext();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <OrgProvider org={org} me={me}>
      <div className="min-h-screen">
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-x-4 gap-y-2 px-4 py-3 sm:px-6">
            <div className="flex min-w-0 items-center gap-2 sm:gap-4">
              <Logo href={consoleHref(org.slug, '/deployments')} />
              <span className="text-slate-300" aria-hidden>
                /
              </span>
              <OrgSwitcher orgs={orgs} activeId={org.id} />
            </div>
            <div className="flex items-center gap-1 text-sm sm:gap-3">
              {me.staffRole !== 'none' && (
                <Link href="/admin" className="rounded-md bg-amber-50 px-2.5 py-1.5 font-medium text-amber-800 hover:bg-amber-100">
                  Internal
                </Link>
              )}
              <Link href={consoleHref(org.slug, '/account')} className="max-w-56 truncate rounded-md px-2 py-1.5 text-slate-600 hover:text-slate-900" data-testid="user-email" title={`Your account (${me.email})`}>
                <span className="sm:hidden">Account</span>
                <span className="hidden sm:inline">{me.email}</span>
              </Link>
              <ThemeToggle initial={theme} />
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
        {org.deleting && (
          <div role="status" data-testid="deleting-banner" className="border-b border-red-200 bg-red-50 px-6 py-2.5 text-center text-sm text-red-900">
            <span className="font-semibold">{org.name} is being deleted.</span> Nothing in it can be changed any more.{' '}
            <Link href={consoleHref(org.slug, '/settings')} className="font-medium underline">
              See the progress
            </Link>
          </div>
        )}
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
          <main id="main" className="min-w-0 flex-1">
            {children}
          </main>
        </div>
      </div>
    </OrgProvider>
  );
}
