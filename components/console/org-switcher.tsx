import Link from 'next/link';
import type { OrgSummary } from '~/server/services/orgs';

/** A plain <details> menu: works before hydration and without client state. */
export function OrgSwitcher({ orgs, activeId }: { orgs: OrgSummary[]; activeId: string }) {
  const active = orgs.find((o) => o.id === activeId)!;
  return (
    <details className="group relative">
      <summary
        className="flex cursor-pointer list-none items-center gap-2 rounded-md px-2 py-1.5 text-sm font-semibold text-slate-900 hover:bg-slate-100"
        data-testid="org-switcher"
      >
        <span className="flex size-6 items-center justify-center rounded bg-indigo-600 text-xs text-white">{active.name.slice(0, 1).toUpperCase()}</span>
        <span className="max-w-40 truncate">{active.name}</span>
        <svg viewBox="0 0 20 20" className="size-4 fill-slate-500" aria-hidden>
          <path d="M5.2 7.2a.75.75 0 0 1 1.06 0L10 10.94l3.74-3.74a.75.75 0 1 1 1.06 1.06l-4.27 4.27a.75.75 0 0 1-1.06 0L5.2 8.26a.75.75 0 0 1 0-1.06Z" />
        </svg>
      </summary>
      <div className="absolute left-0 z-20 mt-1 w-64 rounded-lg border border-slate-200 bg-white p-1 shadow-lg">
        <p className="px-3 py-1.5 text-xs font-medium text-slate-500">Your organizations</p>
        {orgs.map((o) => (
          <Link
            key={o.id}
            href={`/console/switch?org=${o.id}`}
            prefetch={false}
            className="flex items-center justify-between rounded-md px-3 py-2 text-sm text-slate-800 hover:bg-slate-100"
          >
            <span className="truncate">{o.name}</span>
            <span className="text-xs text-slate-500">{o.id === activeId ? '✓ ' : ''}{o.role}</span>
          </Link>
        ))}
        <div className="my-1 border-t border-slate-100" />
        <Link href="/console/new-org" className="block rounded-md px-3 py-2 text-sm font-medium text-indigo-700 hover:bg-indigo-50">
          + New organization
        </Link>
      </div>
    </details>
  );
}
