'use client';

import { usePathname } from 'next/navigation';
import { useRef } from 'react';
import { consoleHref, parseOrgPath } from '~/lib/console-href';
import { useMenuDismiss } from '~/components/ui/use-menu-dismiss';
import type { OrgSummary } from '~/server/services/orgs';

/**
 * The organization is in the URL, so switching is a navigation: to the same section (Billing stays Billing) in the
 * other organization. A plain <a>, not a client-side <Link>: the console layout renders the org's chrome and the
 * App Router would keep the old layout across a rewrite to the same files. A <details> menu works before hydration;
 * Escape and a click elsewhere close it.
 */
export function OrgSwitcher({ orgs, activeId }: { orgs: OrgSummary[]; activeId: string }) {
  const active = orgs.find((o) => o.id === activeId)!;
  const ref = useRef<HTMLDetailsElement>(null);
  useMenuDismiss(ref);
  const section = /^\/[^/]+/.exec(parseOrgPath(usePathname())?.rest ?? '')?.[0] ?? '/deployments';
  return (
    <details ref={ref} className="group relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm font-semibold text-slate-900 hover:bg-slate-100"
        data-testid="org-switcher"
        aria-label={`Organization: ${active.name}. Switch organization`}
      >
        <span className="flex size-6 flex-none items-center justify-center rounded bg-indigo-600 text-xs text-white" aria-hidden>
          {active.name.slice(0, 1).toUpperCase()}
        </span>
        <span className="max-w-28 truncate sm:max-w-40">{active.name}</span>
        <svg viewBox="0 0 20 20" className="size-4 flex-none fill-slate-500" aria-hidden>
          <path d="M5.2 7.2a.75.75 0 0 1 1.06 0L10 10.94l3.74-3.74a.75.75 0 1 1 1.06 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0L5.2 8.26a.75.75 0 0 1 0-1.06Z" />
        </svg>
      </summary>
      <div className="absolute left-0 z-20 mt-1 w-64 max-w-[calc(100vw-2rem)] rounded-lg border border-slate-200 bg-white p-1 shadow-lg">
        <p className="px-3 py-1.5 text-xs font-medium text-slate-500">Your organizations</p>
        {orgs.map((o) => (
          <a
            key={o.id}
            href={consoleHref(o.slug, section === '/new-org' ? '/deployments' : section)}
            aria-current={o.id === activeId ? 'true' : undefined}
            className="flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm text-slate-800 hover:bg-slate-100"
          >
            <span className="truncate">{o.name}</span>
            <span className="flex-none text-xs text-slate-500">
              {o.id === activeId ? '✓ ' : ''}
              {o.role}
            </span>
          </a>
        ))}
        <div className="my-1 border-t border-slate-100" />
        <a href={consoleHref(active.slug, '/new-org')} className="block rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50">
          + New organization
        </a>
      </div>
    </details>
  );
}
