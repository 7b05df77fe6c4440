'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const items = [
  { href: '/admin', label: 'Tenants', match: (p: string) => p === '/admin' || p.startsWith('/admin/tenants') },
  { href: '/admin/economics', label: 'Unit economics', match: (p: string) => p.startsWith('/admin/economics') },
  { href: '/admin/reconciler', label: 'Reconciler', match: (p: string) => p.startsWith('/admin/reconciler') },
  { href: '/admin/versions', label: 'Versions', match: (p: string) => p.startsWith('/admin/versions') },
  { href: '/admin/rollouts', label: 'Rollouts', match: (p: string) => p.startsWith('/admin/rollouts') },
  { href: '/admin/mail', label: 'Mail', match: (p: string) => p.startsWith('/admin/mail') },
  { href: '/admin/staff', label: 'Staff', match: (p: string) => p.startsWith('/admin/staff') },
];

export function AdminNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Internal" className="flex flex-wrap gap-1">
      {items.map((item) => {
        const active = item.match(pathname);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={`rounded-md px-3 py-1.5 text-sm font-medium ${active ? 'bg-amber-100 text-amber-950' : 'text-slate-700 hover:bg-amber-100/60 hover:text-slate-900'}`}
          >
            {item.label}
          </Link>
        );
      })}
    </nav>
  );
}
