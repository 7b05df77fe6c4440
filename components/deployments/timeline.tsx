import { Badge } from '~/components/ui/card';
import type { RouterOutputs } from '~/lib/api-types';
import { formatDate } from '~/lib/format';

type Detail = RouterOutputs['deployments']['get'];

const time = (d: Date) => formatDate(d, 'time');
const day = (d: Date) => formatDate(d, 'day');

export function Timeline({ events }: { events: Detail['events'] }) {
  if (events.length === 0) return <p className="px-6 py-4 text-sm text-slate-500">No events yet. The reconciler records each step here as it happens.</p>;
  return (
    <ol className="divide-y divide-slate-100" data-testid="timeline">
      {events.map((e) => (
        <li key={e.id} className="flex gap-4 px-6 py-2.5 text-sm">
          <span className="w-24 flex-none font-mono text-xs text-slate-500 tabular-nums" title={new Date(e.at).toISOString()}>
            {day(e.at)} {time(e.at)}
          </span>
          <span className={`w-28 flex-none font-mono text-xs ${e.level === 'error' ? 'text-red-600' : e.level === 'warning' ? 'text-amber-700' : 'text-slate-600'}`}>{e.step}</span>
          <span className="min-w-0 flex-1 text-slate-800">{e.message}</span>
          {e.durationMs !== null && <span className="flex-none text-xs text-slate-500 tabular-nums">{e.durationMs < 1000 ? `${e.durationMs} ms` : `${(e.durationMs / 1000).toFixed(1)} s`}</span>}
        </li>
      ))}
    </ol>
  );
}

const tone = { pending: 'slate', running: 'indigo', succeeded: 'emerald', failed: 'red', superseded: 'amber' } as const;

export function Operations({ operations }: { operations: Detail['operations'] }) {
  return (
    <table className="w-full text-left text-sm" data-testid="operations">
      <thead className="border-b border-slate-200 text-xs text-slate-500 uppercase">
        <tr>
          <th className="px-6 py-2 font-medium">Request</th>
          <th className="px-6 py-2 font-medium">Who</th>
          <th className="px-6 py-2 font-medium">When</th>
          <th className="px-6 py-2 font-medium">Status</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {operations.map((o) => (
          <tr key={o.id}>
            <td className="px-6 py-2">
              <div className="text-slate-900">{o.summary}</div>
              {o.error && <div className="text-xs text-red-600">{o.error}</div>}
            </td>
            <td className="px-6 py-2 text-slate-600">{o.requestedBy ?? 'system'}</td>
            <td className="px-6 py-2 text-slate-600 tabular-nums">
              {day(o.createdAt)} {time(o.createdAt)}
              {o.finishedAt && <div className="text-xs text-slate-500">took {((new Date(o.finishedAt).getTime() - new Date(o.createdAt).getTime()) / 1000).toFixed(1)} s</div>}
            </td>
            <td className="px-6 py-2">
              <Badge tone={tone[o.status]}>{o.status}</Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
