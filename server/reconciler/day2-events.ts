/**
 * The one place day-2 findings leave the reconciler: drift, degradation, recovery, escalation. Each becomes a
 * deployment event (written with the pass's fenced release, so a worker that lost its lease announces nothing)
 * and a log line; drifted and degraded also go to the events outbox (webhooks, mail) with it — see `write()` in
 * store.ts.
 */
import { logger } from '../observability/logger';
import type { Event } from './store';

export type Day2Kind = 'deployment.drifted' | 'deployment.drift_healed' | 'deployment.degraded' | 'deployment.recovered' | 'deployment.escalated';

const LEVEL: Record<Day2Kind, Event['level']> = {
  'deployment.drifted': 'warning',
  'deployment.drift_healed': 'info',
  'deployment.degraded': 'error',
  'deployment.recovered': 'info',
  'deployment.escalated': 'error',
};

/** Returns the event to write with the release; `step` is the kind, so the timeline and staff can filter on it. */
export function day2Event(kind: Day2Kind, d: { id: string; orgId: string }, message: string): Event {
  logger.info({ deploymentId: d.id, orgId: d.orgId, day2: kind }, message);
  return { step: kind.replace('deployment.', ''), level: LEVEL[kind], message };
}
