/**
 * Ready and deleted events per minute as stacked bars, in plain SVG: sixty bars do not need a chart library,
 * and the admin bundle stays small.
 */
import { formatDate } from '~/lib/format';

type Minute = { minute: Date; ready: number; deleted: number; errors: number };

export function ThroughputChart({ minutes }: { minutes: Minute[] }) {
  const max = Math.max(1, ...minutes.map((m) => m.ready + m.deleted));
  const w = 600;
  const h = 100;
  const bar = w / Math.max(1, minutes.length);
  const label = (d: Date) => formatDate(d, 'hourMinute');
  const total = minutes.reduce((s, m) => s + m.ready + m.deleted, 0);
  return (
    <div className="px-5 py-4">
      {/* Bars only, stretched to the card's width; the labels are HTML so they stay readable at any size. */}
      <svg viewBox={`0 0 ${w} ${h + 8}`} preserveAspectRatio="none" className="h-32 w-full" role="img" aria-label={`${total} deployments converged in the last hour`}>
        <line x1={0} x2={w} y1={h} y2={h} className="stroke-slate-200" />
        {minutes.map((m, i) => {
          const ready = (m.ready / max) * (h - 4);
          const deleted = (m.deleted / max) * (h - 4);
          return (
            <g key={i}>
              <title>{`${label(m.minute)}: ${m.ready} ready, ${m.deleted} deleted, ${m.errors} errors`}</title>
              <rect x={i * bar + 1} y={h - ready} width={bar - 2} height={ready} className="fill-emerald-500" />
              <rect x={i * bar + 1} y={h - ready - deleted} width={bar - 2} height={deleted} className="fill-slate-400" />
              {m.errors > 0 && <rect x={i * bar + 1} y={h + 3} width={bar - 2} height={4} className="fill-red-500" />}
            </g>
          );
        })}
      </svg>
      {minutes.length > 0 && (
        <div className="mt-1 flex justify-between font-mono text-xs text-slate-500">
          <span>{label(minutes[0]!.minute)}</span>
          <span>{label(minutes.at(-1)!.minute)}</span>
        </div>
      )}
      <div className="mt-2 flex gap-4 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1.5"><span className="size-2 rounded-sm bg-emerald-500" aria-hidden />ready</span>
        <span className="inline-flex items-center gap-1.5"><span className="size-2 rounded-sm bg-slate-400" aria-hidden />deleted</span>
        <span className="inline-flex items-center gap-1.5"><span className="size-2 rounded-sm bg-red-500" aria-hidden />minutes with errors</span>
        <span className="ml-auto">peak {max} per minute</span>
      </div>
      {total === 0 && <p className="mt-2 text-sm text-slate-500">Nothing converged in the last hour. Each deployment that becomes ready or is deleted adds to a bar.</p>}
    </div>
  );
}
