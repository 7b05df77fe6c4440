/**
 * "Why is it not ready?" in one sentence, for the deployment page (customers) and the staff views (with the
 * worker id). Pure and client-safe: the server adds what only it knows (queue position, now) to the input.
 *
 * Extension point: `WAITING_RULES` is an ordered list; the first rule that answers wins. A new reason (e.g.
 * "waiting for its maintenance window") is one more rule inserted where it belongs.
 */
import type { Condition, DeploymentPhase } from '~/db/schema';

export type WhyInput = {
  phase: DeploymentPhase;
  generation: number;
  observedGeneration: number;
  deletionRequestedAt: Date | null;
  spec: { state?: 'running' | 'stopped' };
  conditions: Condition[];
  attempts: number;
  lastError: string | null;
  nextReconcileAt: Date | null;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  /** Due deployments ahead of this one (0: next), or null when it is not due. */
  queueAhead: number | null;
  now: Date;
};
export type Audience = 'customer' | 'staff';
export type WaitingRule = (d: WhyInput, audience: Audience) => string | null;

const time = (d: Date) => d.toISOString().slice(11, 19) + ' UTC';
const cond = (d: WhyInput, type: Condition['type']) => d.conditions.find((c) => c.type === type && c.status);
const converged = (d: WhyInput) => d.observedGeneration === d.generation;

export const WAITING_RULES: WaitingRule[] = [
  (d) => (d.phase === 'deleted' ? 'Deleted: nothing of it is left in the engines.' : null),
  (d) => (d.deletionRequestedAt ? 'Being deleted: the app is removed first, then the infrastructure.' : null),
  (d, who) =>
    d.leaseOwner && d.leaseExpiresAt && d.leaseExpiresAt > d.now
      ? who === 'staff'
        ? `Worker ${d.leaseOwner} is reconciling it now (lease until ${time(d.leaseExpiresAt)}).`
        : 'A worker is applying its settings right now.'
      : null,
  (d) =>
    d.lastError && d.attempts > 0 && d.nextReconcileAt && d.nextReconcileAt > d.now && !converged(d)
      ? `Backing off until ${time(d.nextReconcileAt)} after ${d.attempts} failed attempt${d.attempts === 1 ? '' : 's'}: ${d.lastError}`
      : null,
  (d) => (d.phase === 'failed' && !d.nextReconcileAt ? `Failed${d.lastError ? `: ${d.lastError}` : ''}. Retry it once the cause is fixed.` : null),
  (d) =>
    d.queueAhead !== null && !converged(d)
      ? d.queueAhead === 0
        ? 'Queued: it is next for a worker.'
        : `Queued: ${d.queueAhead} deployment${d.queueAhead === 1 ? '' : 's'} ahead of it for a worker.`
      : null,
  (d) =>
    !converged(d) && d.conditions.some((c) => c.type === 'AppSynced' && c.status && c.observedGeneration === d.generation)
      ? 'Waiting for the app to report healthy (Argo CD health).'
      : null,
  (d) => (!converged(d) ? 'Applying its latest settings.' : null),
  (d) => (d.spec.state === 'stopped' ? 'Stopped: the app is scaled to zero and its data is kept. Start it to use it again.' : null),
  (d) => {
    const c = cond(d, 'Degraded');
    return c ? `Degraded: ${c.message ?? 'unhealthy'} (${c.recoveries ?? 0} automatic recovery action${c.recoveries === 1 ? '' : 's'} so far).` : null;
  },
  (d) => {
    const c = cond(d, 'Drifted');
    return c ? `Drifted: changed outside Plinth (${c.message ?? 'details in the timeline'}); staff have been alerted.` : null;
  },
];

/** The sentence, or null when the deployment is ready and nothing is wrong. */
export function whyNotReady(d: WhyInput, audience: Audience = 'customer'): string | null {
  for (const rule of WAITING_RULES) {
    const answer = rule(d, audience);
    if (answer) return answer;
  }
  return null;
}
