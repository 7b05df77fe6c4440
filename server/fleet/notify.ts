/**
 * The one place a rollout tells customers something. Each event lands, in the caller's transaction, on the
 * deployment's timeline (`deployment_events`, what the console shows) and in the audit log (the org's activity
 * and the staff tenant timeline). Scheduled and completed upgrades also go to the events outbox (`server/events`),
 * from which webhooks and notification mail are sent.
 */
import type { Tx } from '~/db/client';
import { auditLog, deploymentEvents, events as outbox } from '~/db/schema';

export type FleetEventKind = 'upgrade.scheduled' | 'upgrade.started' | 'upgrade.completed' | 'upgrade.failed' | 'upgrade.skipped' | 'upgrade.deferred';
export type FleetEvent = {
  kind: FleetEventKind;
  orgId: string;
  deploymentId: string;
  generation: number;
  rolloutId: string;
  message: string;
  actorId?: string | null;
  /** For the outbox (webhooks, mail): the deployment's name, the versions and the latest start, where known. */
  name?: string;
  fromVersion?: string;
  toVersion?: string;
  deadline?: string | null;
};

const levels: Record<FleetEventKind, 'info' | 'warning' | 'error'> = {
  'upgrade.scheduled': 'info',
  'upgrade.started': 'info',
  'upgrade.completed': 'info',
  'upgrade.failed': 'error',
  'upgrade.skipped': 'warning',
  'upgrade.deferred': 'info',
};

/** Inserts in chunks: a rollout announces itself to thousands of deployments in one transaction. */
export async function emitFleetEvents(tx: Tx, events: FleetEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += 1000) {
    const chunk = events.slice(i, i + 1000);
    await tx.insert(deploymentEvents).values(
      chunk.map((e) => ({ deploymentId: e.deploymentId, orgId: e.orgId, generation: e.generation, step: e.kind, level: levels[e.kind], message: e.message })),
    );
    await tx.insert(auditLog).values(
      chunk.map((e) => ({ actorId: e.actorId ?? null, orgId: e.orgId, action: `rollout.${e.kind}`, target: e.deploymentId, after: { rolloutId: e.rolloutId }, reason: e.message })),
    );
    const told = chunk.filter((e) => e.kind === 'upgrade.scheduled' || e.kind === 'upgrade.completed');
    if (told.length) {
      await tx.insert(outbox).values(
        told.map((e) => ({ orgId: e.orgId, type: e.kind as 'upgrade.scheduled' | 'upgrade.completed', deploymentId: e.deploymentId, data: { rolloutId: e.rolloutId, generation: e.generation, message: e.message, name: e.name, fromVersion: e.fromVersion, version: e.toVersion, deadline: e.deadline } })),
      );
    }
  }
}
