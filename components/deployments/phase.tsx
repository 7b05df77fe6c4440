import type { DeploymentPhase } from '~/db/schema';

const tones: Record<DeploymentPhase, string> = {
  pending: 'bg-slate-100 text-slate-700',
  provisioning: 'bg-indigo-50 text-indigo-700',
  updating: 'bg-indigo-50 text-indigo-700',
  ready: 'bg-emerald-50 text-emerald-700',
  deleting: 'bg-amber-50 text-amber-800',
  deleted: 'bg-slate-100 text-slate-600',
  failed: 'bg-red-50 text-red-700',
  stopped: 'bg-slate-200 text-slate-700',
};

export const inFlight = (d: { phase: DeploymentPhase; generation: number; observedGeneration: number; deletionRequestedAt?: Date | null }) =>
  d.phase === 'pending' || d.phase === 'provisioning' || d.phase === 'updating' || d.phase === 'deleting' || (d.phase !== 'deleted' && d.phase !== 'failed' && d.generation !== d.observedGeneration);

export function PhaseBadge({ phase }: { phase: DeploymentPhase }) {
  const moving = phase === 'pending' || phase === 'provisioning' || phase === 'updating' || phase === 'deleting';
  return (
    <span data-testid="phase" className={`inline-flex items-center gap-1.5 rounded-full px-2.5 py-0.5 text-xs font-medium ${tones[phase]}`}>
      <span className={`size-1.5 rounded-full bg-current ${moving ? 'animate-pulse' : ''}`} aria-hidden />
      {phase}
    </span>
  );
}

export function SandboxBadge({ engines }: { engines: string[] }) {
  if (!engines.includes('sandbox')) return null;
  return (
    <span
      title="This deployment runs on Plinth's sandbox engines: a simulated cloud, not real infrastructure."
      className="inline-flex items-center rounded-md bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 ring-inset"
    >
      Sandbox
    </span>
  );
}
