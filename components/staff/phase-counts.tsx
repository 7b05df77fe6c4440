import type { DeploymentPhase } from '~/db/schema';

const order: DeploymentPhase[] = ['failed', 'provisioning', 'updating', 'pending', 'deleting', 'ready', 'stopped'];
const dot: Record<DeploymentPhase, string> = {
  failed: 'bg-red-500',
  provisioning: 'bg-indigo-500',
  updating: 'bg-indigo-500',
  pending: 'bg-slate-400',
  deleting: 'bg-amber-500',
  ready: 'bg-emerald-500',
  deleted: 'bg-slate-300',
  stopped: 'bg-slate-500',
};

/** "2 ready · 1 failed": failures first, because that is what support is looking for. */
export function PhaseCounts({ phases }: { phases: Partial<Record<DeploymentPhase, number>> }) {
  const present = order.filter((p) => (phases[p] ?? 0) > 0);
  if (present.length === 0) return <span className="text-slate-500">none</span>;
  return (
    <span className="flex flex-wrap gap-x-3 gap-y-1">
      {present.map((p) => (
        <span key={p} className="inline-flex items-center gap-1.5 whitespace-nowrap">
          <span className={`size-2 rounded-full ${dot[p]}`} aria-hidden />
          <span className="tabular-nums">{phases[p]}</span> <span className="text-slate-600">{p}</span>
        </span>
      ))}
    </span>
  );
}
