'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '~/components/providers';
import { Badge, Card } from '~/components/ui/card';
import { Table } from '~/components/ui/table';

export const STATES = ['scheduled', 'waiting', 'upgrading', 'done', 'failed', 'skipped'] as const;
export const statusTone = { running: 'indigo', paused: 'amber', cancelling: 'amber', cancelled: 'slate', completed: 'emerald' } as const;

export function RolloutList() {
  const trpc = useTRPC();
  const q = useQuery({ ...trpc.staff.fleet.rollouts.queryOptions(), refetchInterval: 5000 });
  if (!q.data?.length) return <Card className="p-6 text-sm text-slate-500">No rollouts yet.</Card>;
  return (
    <Card>
      <Table columns={[{ label: 'Target' }, { label: 'Status' }, ...STATES.map((s) => ({ label: s, className: 'hidden md:table-cell' })), { label: 'Created' }]}>
        {q.data.map((r) => (
          <tr key={r.id}>
            <td className="px-6 py-3">
              <Link className="font-medium text-indigo-700" href={`/admin/rollouts/${r.id}`}>
                {r.targetVersion}
              </Link>{' '}
              <span className="text-xs text-slate-500">{r.severity}</span>
            </td>
            <td className="px-6 py-3"><Badge tone={statusTone[r.status]}>{r.status}</Badge></td>
            {STATES.map((s) => (
              <td key={s} className="hidden px-6 py-3 md:table-cell">{r.counts[s] ?? 0}</td>
            ))}
            <td className="px-6 py-3 text-xs text-slate-500">{r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
          </tr>
        ))}
      </Table>
    </Card>
  );
}
