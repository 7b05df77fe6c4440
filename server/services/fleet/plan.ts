/**
 * Which deployments a rollout takes, in which waves, and when they would be upgraded: shared by the dry run
 * (what the admin reviews) and the creation (what gets written), so the two cannot disagree.
 */
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { deployments, organizations, productVersions, rolloutItems, upgradePaths, type MaintenanceWindow, type ProductVersion } from '~/db/schema';
import type { RolloutPlanInput } from '~/lib/inputs/fleet';
import { compareVersions } from '~/lib/versions';
import { describeWindow, nextOccurrence } from '~/lib/windows';
import { AppError } from '../../errors';

/** What one upgrade is assumed to take in an estimate (the sandbox and real engines take 10 s – 2 min). */
export const UPGRADE_ESTIMATE_MS = 120_000;

export type PlannedItem = { deploymentId: string; orgId: string; fromVersion: string; window: MaintenanceWindow | null };
export type Exclusion = { deploymentId: string; name: string; orgName: string; version: string; reason: string };
export type WavePlan = { index: number; name: string; size: number; maxConcurrency: number; failureBudgetPct: number; items: PlannedItem[] };

/** Refuses a plan that cannot be a rollout, naming the field; returns the target version's row. */
export async function validatePlan(db: DbOrTx, productId: string, input: RolloutPlanInput, now: Date): Promise<ProductVersion> {
  const [target] = await db.select().from(productVersions).where(and(eq(productVersions.productId, productId), eq(productVersions.version, input.targetVersion)));
  if (!target) throw new AppError('BAD_REQUEST', `There is no version ${input.targetVersion}. Publish it on the Versions page first.`, { field: 'targetVersion' });
  if (target.status !== 'available') {
    throw new AppError('BAD_REQUEST', `${target.version} is ${target.status}; only an available version can be rolled out. Make it available first.`, { field: 'targetVersion' });
  }
  const [path] = await db.select().from(upgradePaths).where(and(eq(upgradePaths.productId, productId), eq(upgradePaths.toVersion, target.version))).limit(1);
  if (!path) throw new AppError('BAD_REQUEST', `No upgrade path leads to ${target.version}. Add one (from → ${target.version}) on the Versions page first.`, { field: 'targetVersion' });
  if (input.deadline && input.deadline.getTime() < now.getTime() - 60_000) {
    throw new AppError('BAD_REQUEST', 'The deadline is in the past. Choose a time from now on.', { field: 'deadline' });
  }
  if (target.severity !== 'regular' && !input.deadline) {
    throw new AppError('BAD_REQUEST', `${target.version} is a ${target.severity} release: give the rollout a deadline.`, { field: 'deadline' });
  }
  if (target.severity === 'critical' && input.noticeDays !== 0) {
    throw new AppError('BAD_REQUEST', 'A critical release gives no notice period: set it to 0 days and use the deadline.', { field: 'noticeDays' });
  }
  if (input.deadline && input.noticeDays > 0 && input.deadline.getTime() < now.getTime() + input.noticeDays * 86_400_000) {
    throw new AppError('BAD_REQUEST', 'The deadline comes before the notice period ends. Move the deadline later or shorten the notice.', { field: 'deadline' });
  }
  if (input.canary.unit === 'percent' && input.canary.size > 100) throw new AppError('BAD_REQUEST', 'A canary can be at most 100% of the deployments.', { field: 'canary.size' });
  return target;
}

/** The fleet the selector picks, split into eligible items and exclusions with their reasons. */
export async function selectFleet(db: DbOrTx, productId: string, input: RolloutPlanInput) {
  const sel = input.selector;
  const [rows, paths, busy] = await Promise.all([
    db
      .select({
        id: deployments.id,
        name: deployments.name,
        orgId: deployments.orgId,
        orgName: organizations.name,
        orgStatus: organizations.status,
        spec: deployments.spec,
        phase: deployments.phase,
        deleting: deployments.deletionRequestedAt,
        window: deployments.maintenanceWindow,
        orgWindow: organizations.maintenanceWindow,
      })
      .from(deployments)
      .innerJoin(organizations, eq(organizations.id, deployments.orgId))
      .where(and(isNull(deployments.deletedAt), sel.orgIds?.length ? inArray(deployments.orgId, sel.orgIds) : undefined))
      .orderBy(deployments.id),
    db.select().from(upgradePaths).where(eq(upgradePaths.productId, productId)),
    db.select({ deploymentId: rolloutItems.deploymentId }).from(rolloutItems).where(inArray(rolloutItems.status, ['scheduled', 'waiting', 'upgrading'])),
  ]);
  const inRollout = new Set(busy.map((b) => b.deploymentId));
  const eligible: PlannedItem[] = [];
  const excluded: Exclusion[] = [];
  for (const d of rows) {
    if (sel.versions?.length && !sel.versions.includes(d.spec.version)) continue;
    if (sel.plans?.length && !sel.plans.includes(d.spec.plan)) continue;
    if (sel.regions?.length && !sel.regions.includes(d.spec.region)) continue;
    const out = (reason: string) => excluded.push({ deploymentId: d.id, name: d.name, orgName: d.orgName, version: d.spec.version, reason });
    if (d.deleting) out('deleting');
    else if (compareVersions(d.spec.version, input.targetVersion) >= 0) out('already on the target version (or newer)');
    else if (!paths.some((p) => p.fromVersion === d.spec.version && p.toVersion === input.targetVersion)) out(`no upgrade path from ${d.spec.version}`);
    else if (d.phase === 'failed') out('failed');
    else if (d.orgStatus === 'suspended') out('suspended tenant');
    else if (inRollout.has(d.id)) out('already in another rollout');
    else eligible.push({ deploymentId: d.id, orgId: d.orgId, fromVersion: d.spec.version, window: d.window ?? d.orgWindow });
  }
  return { eligible, excluded };
}

/** Canary first (N or N%), then waves of wavePercent of the whole fleet; never an empty wave. */
export function splitWaves(items: PlannedItem[], input: RolloutPlanInput): WavePlan[] {
  if (!items.length) return [];
  const total = items.length;
  const canarySize = Math.min(total, Math.max(1, input.canary.unit === 'count' ? input.canary.size : Math.ceil((input.canary.size / 100) * total)));
  const waveSize = Math.max(1, Math.ceil((input.wavePercent / 100) * total));
  const waves: WavePlan[] = [{ index: 0, name: 'Canary', size: canarySize, maxConcurrency: input.maxConcurrency, failureBudgetPct: 0, items: items.slice(0, canarySize) }];
  for (let at = canarySize, i = 1; at < total; at += waveSize, i++) {
    const chunk = items.slice(at, at + waveSize);
    waves.push({ index: i, name: `Wave ${i}`, size: chunk.length, maxConcurrency: input.maxConcurrency, failureBudgetPct: input.failureBudgetPct, items: chunk });
  }
  return waves;
}

/**
 * When each wave would run and finish: a wave starts when the one before has finished (and not before the notice
 * period ends); each deployment waits for its window, or for the deadline; upgrades take UPGRADE_ESTIMATE_MS,
 * maxConcurrency at a time.
 */
export function estimate(waves: WavePlan[], o: { startsAt: Date; deadline: Date | null }) {
  let t = o.startsAt.getTime();
  return waves.map((w) => {
    const start = t;
    let last = start;
    const windows = new Map<string, number>();
    for (const item of w.items) {
      const label = describeWindow(item.window);
      windows.set(label, (windows.get(label) ?? 0) + 1);
      let at = Math.max(start, nextOccurrence(item.window, new Date(start)).start.getTime());
      if (o.deadline) at = Math.max(start, Math.min(at, o.deadline.getTime()));
      last = Math.max(last, at);
    }
    t = last + Math.ceil(w.size / w.maxConcurrency) * UPGRADE_ESTIMATE_MS;
    return {
      index: w.index,
      name: w.name,
      size: w.size,
      maxConcurrency: w.maxConcurrency,
      failureBudgetPct: w.failureBudgetPct,
      windows: [...windows.entries()].map(([window, n]) => ({ window, deployments: n })).sort((a, b) => b.deployments - a.deployments).slice(0, 12),
      start: new Date(start),
      estimatedFinish: new Date(t),
    };
  });
}
