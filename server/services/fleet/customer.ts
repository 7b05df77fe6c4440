/**
 * The customer's side of rollouts: maintenance windows (org-wide, per deployment), the upgrades scheduled for
 * their deployments, "upgrade now" and "defer". Org services, `(db, actor, input, deps?)`.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, Tx } from '~/db/client';
import { deployments, organizations, productVersions, rolloutItems, rollouts, upgradePaths, type MaintenanceWindow } from '~/db/schema';
import type { deploymentRefInput, deploymentWindowInput, orgWindowInput } from '~/lib/inputs/fleet';
import { compareVersions } from '~/lib/versions';
import { nextOccurrence, windowProblems, type Occurrence } from '~/lib/windows';
import type { OrgActor } from '../../actor';
import { AppError } from '../../errors';
import { emitFleetEvents } from '../../fleet/notify';
import { startItems } from '../../fleet/upgrade';
import { audit } from '../audit';
import { shortestPath } from '../deployments/spec';
import type { Clock } from './rollouts';

const clock = (deps?: Clock) => (deps?.now ?? (() => new Date()))();

/** Refuses an invalid window with the first problem at its field (the form shows them all, from lib/windows.ts). */
function assertWindow(w: MaintenanceWindow | null): MaintenanceWindow | null {
  if (!w) return null;
  const problems = windowProblems(w);
  const [field, message] = Object.entries(problems)[0] ?? [];
  if (field) throw new AppError('BAD_REQUEST', message!, { field: `window.${field}` });
  return { days: [...w.days].sort((a, b) => a - b), start: w.start, durationMinutes: w.durationMinutes, timeZone: w.timeZone };
}

async function lockOrg(tx: Tx, orgId: string) {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId)).for('no key update');
  if (!org) throw new AppError('NOT_FOUND', 'This organization no longer exists.');
  return org;
}

async function lockDeployment(tx: Tx, orgId: string, deploymentId: string) {
  const [d] = await tx.select().from(deployments).where(and(eq(deployments.id, deploymentId), eq(deployments.orgId, orgId), isNull(deployments.deletedAt))).for('update');
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  return d;
}

export async function getOrgWindow(db: Db, actor: OrgActor, _input: unknown, deps?: Clock) {
  const [org] = await db.select({ window: organizations.maintenanceWindow }).from(organizations).where(eq(organizations.id, actor.orgId));
  const w = org?.window ?? null;
  return { window: w, next: w ? nextOccurrence(w, clock(deps)) : null };
}

export async function setOrgWindow(db: Db, actor: OrgActor, input: z.infer<typeof orgWindowInput>) {
  const window = assertWindow(input.window);
  return db.transaction(async (tx) => {
    const org = await lockOrg(tx, actor.orgId);
    await tx.update(organizations).set({ maintenanceWindow: window }).where(eq(organizations.id, org.id));
    await audit(tx, { actorId: actor.userId, orgId: org.id, action: 'org.maintenance_window', target: org.id, before: org.maintenanceWindow, after: window });
    return { window };
  });
}

export async function setDeploymentWindow(db: Db, actor: OrgActor, input: z.infer<typeof deploymentWindowInput>) {
  const window = assertWindow(input.window);
  return db.transaction(async (tx) => {
    await lockOrg(tx, actor.orgId);
    const d = await lockDeployment(tx, actor.orgId, input.deploymentId);
    await tx.update(deployments).set({ maintenanceWindow: window, updatedAt: new Date() }).where(eq(deployments.id, d.id));
    await audit(tx, { actorId: actor.userId, orgId: actor.orgId, action: 'deployment.maintenance_window', target: d.id, before: d.maintenanceWindow, after: window });
    return { window };
  });
}

type ItemRow = { status: string; notBefore: Date | null; defers: number; upgradeNow: boolean };
type RolloutRow = { startsAt: Date; deadline: Date | null; status: string };

/** When the item would next be upgraded (ignoring wave order, which may delay it): its window after the notice. */
export function scheduledOccurrence(item: ItemRow, r: RolloutRow, window: MaintenanceWindow | null, now: Date): Occurrence {
  const from = new Date(Math.max(now.getTime(), r.startsAt.getTime(), item.notBefore?.getTime() ?? 0));
  const o = nextOccurrence(window, from);
  if (r.deadline && o.start > r.deadline) return { start: new Date(Math.max(r.deadline.getTime(), now.getTime())), end: new Date(Math.max(r.deadline.getTime(), now.getTime()) + 3_600_000) };
  return o;
}

const UPCOMING = ['scheduled', 'waiting', 'upgrading'] as const;

async function upcoming(db: Db, orgId: string, deploymentIds: string[] | null, now: Date) {
  const rows = await db
    .select({ item: rolloutItems, rollout: rollouts, window: deployments.maintenanceWindow, orgWindow: organizations.maintenanceWindow, notes: productVersions.notes })
    .from(rolloutItems)
    .innerJoin(rollouts, eq(rollouts.id, rolloutItems.rolloutId))
    .innerJoin(deployments, eq(deployments.id, rolloutItems.deploymentId))
    .innerJoin(organizations, eq(organizations.id, deployments.orgId))
    .leftJoin(productVersions, and(eq(productVersions.productId, rollouts.productId), eq(productVersions.version, rollouts.targetVersion)))
    .where(and(eq(rolloutItems.orgId, orgId), inArray(rolloutItems.status, [...UPCOMING]), deploymentIds ? inArray(rolloutItems.deploymentId, deploymentIds) : undefined));
  return rows.map(({ item, rollout, window, orgWindow, notes }) => {
    const w = window ?? orgWindow;
    return {
      deploymentId: item.deploymentId,
      rolloutId: rollout.id,
      fromVersion: item.fromVersion,
      targetVersion: rollout.targetVersion,
      severity: rollout.severity,
      notes: notes ?? '',
      status: item.status,
      rolloutStatus: rollout.status,
      timeZone: w?.timeZone ?? null,
      next: item.status === 'upgrading' ? null : scheduledOccurrence(item, rollout, w, now),
      deadline: rollout.deadline,
      defersLeft: Math.max(0, rollout.maxDefers - item.defers),
    };
  });
}

/** Scheduled upgrades of every deployment of the org (the deployments list). */
export async function orgUpgrades(db: Db, actor: OrgActor, _input: unknown, deps?: Clock) {
  return upcoming(db, actor.orgId, null, clock(deps));
}

/** One deployment: its scheduled upgrade, and its version's status with the upgrade path (the banner). */
export async function deploymentUpgrade(db: Db, actor: OrgActor, input: z.infer<typeof deploymentRefInput>, deps?: Clock) {
  const now = clock(deps);
  const [d] = await db.select().from(deployments).where(and(eq(deployments.id, input.deploymentId), eq(deployments.orgId, actor.orgId), isNull(deployments.deletedAt)));
  if (!d) throw new AppError('NOT_FOUND', 'That deployment does not exist in this organization.');
  const [org] = await db.select({ window: organizations.maintenanceWindow }).from(organizations).where(eq(organizations.id, actor.orgId));
  const [scheduled] = await upcoming(db, actor.orgId, [d.id], now);
  const [version] = await db.select().from(productVersions).where(eq(productVersions.version, d.spec.version));
  const all = await db.select().from(productVersions);
  const edges = await db.select().from(upgradePaths);
  // The path to the newest available version it can reach, step by step; null when there is none.
  const newer = all.filter((v) => v.status === 'available' && compareVersions(v.version, d.spec.version) > 0).sort((a, b) => compareVersions(b.version, a.version));
  const path = newer.map((v) => shortestPath(edges, d.spec.version, v.version)).find((p) => p !== null) ?? null;
  const window = d.maintenanceWindow ?? org?.window ?? null;
  return {
    scheduled: scheduled ?? null,
    version: { version: d.spec.version, status: version?.status ?? 'available', upgradePath: path },
    window: d.maintenanceWindow,
    orgWindow: org?.window ?? null,
    nextWindow: window ? nextOccurrence(window, now) : null,
  };
}

async function lockItem(tx: Tx, actor: OrgActor, deploymentId: string) {
  await lockOrg(tx, actor.orgId);
  const d = await lockDeployment(tx, actor.orgId, deploymentId);
  const [row] = await tx
    .select({ item: rolloutItems, rollout: rollouts })
    .from(rolloutItems)
    .innerJoin(rollouts, eq(rollouts.id, rolloutItems.rolloutId))
    .where(and(eq(rolloutItems.deploymentId, d.id), eq(rolloutItems.orgId, actor.orgId), inArray(rolloutItems.status, ['scheduled', 'waiting'])))
    .for('update', { of: rolloutItems });
  if (!row) throw new AppError('NOT_FOUND', 'No upgrade is scheduled for this deployment.');
  return { d, ...row };
}

/** Moves a scheduled upgrade to the window after the one it would use, within the rollout's limits. */
export async function deferUpgrade(db: Db, actor: OrgActor, input: z.infer<typeof deploymentRefInput>, deps?: Clock) {
  const now = clock(deps);
  return db.transaction(async (tx) => {
    const { d, item, rollout } = await lockItem(tx, actor, input.deploymentId);
    const [org] = await tx.select({ window: organizations.maintenanceWindow }).from(organizations).where(eq(organizations.id, actor.orgId));
    if (rollout.severity !== 'regular') {
      throw new AppError('PRECONDITION_FAILED', `This is a ${rollout.severity} upgrade: it cannot be deferred${rollout.deadline ? ` past ${rollout.deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC` : ''}. Choose "Upgrade now" to do it at a time you pick.`);
    }
    if (item.defers >= rollout.maxDefers) {
      throw new AppError('PRECONDITION_FAILED', rollout.maxDefers === 0 ? 'This upgrade cannot be deferred.' : `This upgrade has been deferred ${item.defers} times, the most this rollout allows.`);
    }
    const w = d.maintenanceWindow ?? org?.window ?? null;
    const current = scheduledOccurrence(item, rollout, w, now);
    const later = w ? nextOccurrence(w, current.end) : { start: new Date(current.start.getTime() + 86_400_000), end: new Date(current.start.getTime() + 2 * 86_400_000) };
    if (rollout.deadline && later.start > rollout.deadline) {
      throw new AppError('PRECONDITION_FAILED', `The next window after this one is past the rollout's deadline (${rollout.deadline.toISOString().replace('T', ' ').slice(0, 16)} UTC), so this upgrade cannot be deferred again.`);
    }
    await tx.update(rolloutItems).set({ notBefore: later.start, defers: item.defers + 1, status: 'scheduled' }).where(eq(rolloutItems.id, item.id));
    await emitFleetEvents(tx, [{ kind: 'upgrade.deferred', orgId: actor.orgId, deploymentId: d.id, generation: d.generation, rolloutId: rollout.id, actorId: actor.userId, message: `Upgrade to Redis ${rollout.targetVersion} deferred to ${later.start.toISOString().replace('T', ' ').slice(0, 16)} UTC.` }]);
    return { notBefore: later.start, defersLeft: rollout.maxDefers - item.defers - 1 };
  });
}

/** Upgrades now, outside the window and the wave order: the same write the scheduler makes, at the customer's word. */
export async function upgradeNow(db: Db, actor: OrgActor, input: z.infer<typeof deploymentRefInput>, deps?: Clock) {
  const now = clock(deps);
  return db.transaction(async (tx) => {
    const { d, item, rollout } = await lockItem(tx, actor, input.deploymentId);
    if (rollout.status !== 'running') throw new AppError('PRECONDITION_FAILED', `The rollout of ${rollout.targetVersion} is ${rollout.status}; upgrades through it are on hold. Try again later.`);
    if (d.phase !== 'ready') throw new AppError('CONFLICT', `This deployment is ${d.phase}; upgrade it once it is ready.`);
    const res = await startItems(tx, rollout, [{ itemId: item.id, deploymentId: d.id, generation: d.generation }], { now, actorId: actor.userId, why: 'upgrade now, asked by the customer' });
    if (!res.started.length) throw new AppError('CONFLICT', 'This deployment could not be upgraded now. Reload and try again.');
    await tx.update(rolloutItems).set({ upgradeNow: true }).where(eq(rolloutItems.id, item.id));
    return { id: d.id, generation: d.generation + 1 };
  });
}
