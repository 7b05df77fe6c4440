import { Badge } from '~/components/ui/card';
import { stackOnPhone } from '~/components/ui/table';
import type { RouterOutputs } from '~/lib/api-types';
import { formatDate } from '~/lib/format';

type Detail = RouterOutputs['deployments']['get'];

const time = (d: Date) => formatDate(d, 'time');
const day = (d: Date) => formatDate(d, 'day');

/** The reconciler's step names, in the words a customer reads (staff see the raw step in their timeline). */
const STEP_LABELS: Record<string, string> = {
  'infra.apply': 'Infrastructure',
  'infra.destroy': 'Removing infrastructure',
  'app.sync': 'Application',
  'app.remove': 'Removing application',
  'snapshot.final': 'Final snapshot',
  ready: 'Ready',
  delete: 'Deletion requested',
  deleted: 'Deleted',
  retry: 'Retrying',
  failed: 'Failed',
};
export const stepLabel = (step: string) => STEP_LABELS[step] ?? step.replace(/[._]/g, ' ');

/** What happens after an error, so a red line is not a dead end. */
const nextStep = { retry: 'Plinth retries automatically; nothing is lost meanwhile.', failed: 'Plinth stopped retrying. Use “Retry now” above, or contact support if it keeps failing.' } as const;

export function Timeline({ events }: { events: Detail['events'] }) {
  if (events.length === 0) return <p className="px-6 py-4 text-sm text-slate-500">No events yet. The reconciler records each step here as it happens.</p>;
  return (
    <ol className="divide-y divide-slate-100" data-testid="timeline">
      {events.map((e) => (
        <li key={e.id} className="flex flex-wrap gap-x-4 gap-y-0.5 px-6 py-2.5 text-sm sm:flex-nowrap">
          <span className="w-24 flex-none font-mono text-xs text-slate-500 tabular-nums" title={new Date(e.at).toISOString()}>
            {day(e.at)} {time(e.at)}
          </span>
          <span className={`w-36 flex-none text-xs font-medium ${e.level === 'error' ? 'text-red-600' : e.level === 'warning' ? 'text-amber-700' : 'text-slate-600'}`} title={e.step}>
            {stepLabel(e.step)}
          </span>
          <span className="min-w-0 flex-1 break-words text-slate-800 max-sm:basis-full">
            {e.message}
            {(e.step === 'retry' || e.step === 'failed') && <span className="block text-xs text-slate-600">{nextStep[e.step]}</span>}
          </span>
          {e.durationMs !== null && <span className="flex-none text-xs text-slate-500 tabular-nums">{e.durationMs < 1000 ? `${e.durationMs} ms` : `${(e.durationMs / 1000).toFixed(1)} s`}</span>}
        </li>
      ))}
    </ol>
  );
}

const tone = { pending: 'slate', running: 'indigo', succeeded: 'emerald', failed: 'red', superseded: 'amber' } as const;

/**
 * Changes not yet applied, as a queue: while one applies, later ones wait, and only the newest settings are
 * applied (the reconciler converges on the latest generation; older pending ones end "superseded").
 */
export function OperationQueue({ operations }: { operations: Detail['operations'] }) {
  const waiting = operations.filter((o) => o.status === 'pending' || o.status === 'running');
  if (waiting.length < 2) return null;
  return (
    <p role="status" className="rounded-lg border border-indigo-200 bg-indigo-50 px-4 py-2.5 text-sm text-indigo-900" data-testid="operation-queue">
      <span className="font-semibold">{waiting.length} changes waiting; the latest wins.</span> Plinth applies the newest settings once; earlier
      requests in between are marked superseded.
    </p>
  );
}

export function Operations({ operations }: { operations: Detail['operations'] }) {
  return (
    <table className={`w-full text-left text-sm ${stackOnPhone}`} data-testid="operations">
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
