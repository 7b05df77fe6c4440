import Link from 'next/link';
import type { ReactNode } from 'react';
import { Logo } from '~/components/ui/logo';
import { requireStaff } from '~/server/staff';

/** Staff only. The role is read from the database on every request; customers are sent back to their console. */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  const { me } = await requireStaff();
  return (
    <div className="min-h-screen">
      <header className="border-b border-amber-200 bg-amber-50">
        <div className="mx-auto flex max-w-7xl items-center justify-between px-6 py-3">
          <div className="flex items-center gap-3">
            <Logo href="/admin" />
            <span className="rounded bg-amber-200 px-2 py-0.5 text-xs font-semibold text-amber-900 uppercase">Internal · {me.staffRole}</span>
          </div>
          <Link href="/console" className="text-sm font-medium text-slate-700 hover:text-slate-900">
            Back to console
          </Link>
        </div>
      </header>
      <main className="mx-auto max-w-7xl px-6 py-10">{children}</main>
    </div>
  );
}
