import Link from 'next/link';
import { TenantFilters } from '~/components/staff/tenant-filters';
import { TenantTable } from '~/components/staff/tenant-table';
import { Card, EmptyState, PageHeader } from '~/components/ui/card';
import { Icon } from '~/components/ui/icons';
import { tenantListInput } from '~/lib/inputs/staff';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Tenants' };

type Search = Record<string, string | string[] | undefined>;

export default async function AdminHome({ searchParams }: { searchParams: Promise<Search> }) {
  const { api } = await requireStaff();
  const raw = Object.fromEntries(Object.entries(await searchParams).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]).filter(([, v]) => v));
  // A hand-edited URL with a bad value falls back to the defaults rather than an error page.
  const parsed = tenantListInput.safeParse(raw);
  const input = parsed.success ? parsed.data : tenantListInput.parse({});
  const { tenants, total, page, pageSize, plans } = await api.staff.tenants.list(input);
  const filtered = !!(input.search || input.status || input.plan);
  const first = (page - 1) * pageSize + 1;
  const pageHref = (p: number) => `/admin?${new URLSearchParams({ ...(raw as Record<string, string>), page: String(p) })}`;

  return (
    <>
      <PageHeader title="Tenants" description={`${total} organization${total === 1 ? '' : 's'}${filtered ? (total === 1 ? ' matches' : ' match') : ''}. Open one for its full history.`} />
      <TenantFilters plans={plans} />
      {tenants.length === 0 ? (
        <EmptyState icon={<Icon name="server" />} title={filtered ? 'No tenant matches' : 'No organizations yet'}>
          {filtered ? (
            <>
              Nothing matches {input.search ? <strong>“{input.search}”</strong> : 'these filters'}. Search takes part of a name or slug, part of a
              member’s email, or the start of a deployment id. <Link href="/admin" className="font-medium text-indigo-700">Clear the filters</Link>.
            </>
          ) : (
            'Organizations appear here as customers sign up, with their members, deployments, invoices and credit.'
          )}
        </EmptyState>
      ) : (
        <Card>
          <div className="overflow-x-auto">
            <TenantTable tenants={tenants} />
          </div>
          <div className="flex items-center justify-between border-t border-slate-100 px-5 py-3 text-sm text-slate-600">
            <span>
              {first}–{first + tenants.length - 1} of {total}
            </span>
            <span className="flex gap-2">
              {page > 1 && (
                <Link className="rounded-md px-2.5 py-1 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50" href={pageHref(page - 1)}>
                  ← Previous
                </Link>
              )}
              {first + tenants.length - 1 < total && (
                <Link className="rounded-md px-2.5 py-1 font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50" href={pageHref(page + 1)}>
                  Next →
                </Link>
              )}
            </span>
          </div>
        </Card>
      )}
    </>
  );
}
