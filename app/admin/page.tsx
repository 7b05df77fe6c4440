import { Badge, Card, PageHeader } from '~/components/ui/card';
import { formatDate } from '~/lib/format';
import { requireStaff } from '~/server/staff';

export const metadata = { title: 'Tenants' };

export default async function AdminHome() {
  const { api } = await requireStaff();
  const orgs = await api.admin.organizations();
  return (
    <>
      <PageHeader title="Tenants" description={`${orgs.length} organization${orgs.length === 1 ? '' : 's'}, newest first.`} />
      <Card>
        {orgs.length === 0 ? (
          <p className="p-6 text-sm text-slate-500">No organizations yet. They appear here as customers sign up.</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
              <tr>
                <th className="px-6 py-3 font-medium">Organization</th>
                <th className="px-6 py-3 font-medium">Status</th>
                <th className="px-6 py-3 font-medium">Members</th>
                <th className="px-6 py-3 font-medium">Created</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {orgs.map((o) => (
                <tr key={o.id} data-testid={`tenant-${o.slug}`}>
                  <td className="px-6 py-3">
                    <div className="font-medium text-slate-900">{o.name}</div>
                    <div className="font-mono text-xs text-slate-500">{o.slug}</div>
                  </td>
                  <td className="px-6 py-3">
                    <Badge tone={o.status === 'active' ? 'emerald' : 'amber'}>{o.status}</Badge>
                  </td>
                  <td className="px-6 py-3 tabular-nums">{o.members}</td>
                  <td className="px-6 py-3 text-slate-600">{formatDate(o.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Card>
    </>
  );
}
