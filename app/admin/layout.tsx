import Link from 'next/link';
import type { ReactNode } from 'react';
import { AdminNav } from '~/components/staff/admin-nav';
import { Logo } from '~/components/ui/logo';
import { requireStaff } from '~/server/staff';
import { cookies } from 'next/headers';
import { ThemeToggle } from '~/components/ui/theme-toggle';
import { parseTheme, THEME_COOKIE } from '~/lib/theme';

/** Staff only. The role is read from the database on every request; customers are sent back to their console. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const { me } = await requireStaff();
  const theme = parseTheme((await cookies()).get(THEME_COOKIE)?.value);
  return (
    <div className="min-h-screen">
      <header className="border-b border-amber-200 bg-amber-50">
        <div className="mx-auto flex max-w-7xl flex-wrap items-center justify-between gap-3 px-4 py-3 sm:px-6">
          <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
            <Logo href="/admin" />
            <span className="rounded bg-amber-200 px-2 py-0.5 text-xs font-semibold text-amber-900 uppercase">Internal · {me.staffRole}</span>
            <AdminNav />
          </div>
          <div className="flex items-center gap-4 text-sm">
            <ThemeToggle initial={theme} />
            <span className="hidden text-slate-600 sm:inline" data-testid="staff-email">
              {me.email}
            </span>
            <Link href="/console/deployments" className="font-medium text-slate-700 hover:text-slate-900">
              Back to console
            </Link>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-10">
        {children}
      </main>
    </div>
  );
}
