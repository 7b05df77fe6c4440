'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useOrg } from './org-context';

const items = [
  { path: '/deployments', label: 'Deployments', icon: 'M4 6h16M4 12h16M4 18h10' },
  { path: '/usage', label: 'Usage', icon: 'M4 20V10m6 10V4m6 16v-7m4 7H2' },
  { path: '/billing', label: 'Billing', icon: 'M3 7h18v10H3zM3 10h18' },
  { path: '/members', label: 'Members', icon: 'M16 19a4 4 0 0 0-8 0m4-7a3 3 0 1 0 0-6 3 3 0 0 0 0 6m7 7a3 3 0 0 0-3-3m2-4a2.5 2.5 0 1 0 0-5' },
  { path: '/activity', label: 'Activity', icon: 'M12 8v4l3 2m6-2a9 9 0 1 1-18 0 9 9 0 0 1 18 0' },
  { path: '/settings', label: 'Settings', icon: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6m7.4-3a7.4 7.4 0 0 0-.1-1.3l2-1.6-2-3.4-2.4 1a7.5 7.5 0 0 0-2.2-1.3L14.3 3h-4l-.4 2.4a7.5 7.5 0 0 0-2.2 1.3l-2.4-1-2 3.4 2 1.6a7.4 7.4 0 0 0 0 2.6l-2 1.6 2 3.4 2.4-1a7.5 7.5 0 0 0 2.2 1.3l.4 2.4h4l.4-2.4a7.5 7.5 0 0 0 2.2-1.3l2.4 1 2-3.4-2-1.6c.1-.4.1-.9.1-1.3' },
];

export function ConsoleNav() {
  const pathname = usePathname();
  const { href } = useOrg();
  return (
    <nav aria-label="Console" className="grid grid-cols-2 gap-1 sm:flex sm:flex-wrap lg:flex-col">
      {items.map((item) => {
        const target = href(item.path);
        const active = pathname === target || pathname.startsWith(`${target}/`);
        return (
          <Link
            key={item.path}
            href={target}
            aria-current={active ? 'page' : undefined}
            className={`flex min-w-0 items-center gap-2 rounded-md px-2 py-2 text-sm font-medium sm:gap-3 sm:px-3 ${
              active ? 'bg-indigo-50 text-indigo-700' : 'text-slate-700 hover:bg-slate-100 hover:text-slate-900'
            }`}
          >
            <svg viewBox="0 0 24 24" className="size-5 flex-none fill-none stroke-current stroke-[1.6]" aria-hidden>
              <path d={item.icon} strokeLinecap="round" strokeLinejoin="round" />
            </svg>
            <span className="truncate">{item.label}</span>
          </Link>
        );
      })}
    </nav>
  );
}
