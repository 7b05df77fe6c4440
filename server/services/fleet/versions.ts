/**
 * Product versions and upgrade paths, as staff admins publish them (internal console, Versions page). A version
 * moves forward only: preview → available → deprecated → retired.
 */
import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db, DbOrTx } from '~/db/client';
import { deployments, products, productVersions, rollouts, upgradePaths } from '~/db/schema';
import type { publishVersionInput, upgradePathInput, versionStatusInput } from '~/lib/inputs/fleet';
import { VERSION_STATUSES } from '~/lib/inputs/fleet';
import { compareVersions } from '~/lib/versions';
import type { StaffActor } from '../../actor';
import { AppError } from '../../errors';
import { audit } from '../audit';
import { forgetCatalog } from '../catalog';

/** Plinth sells one product today; the fleet pages work on it. */
export async function fleetProduct(db: DbOrTx, slug = 'redis') {
  const [p] = await db.select().from(products).where(eq(products.slug, slug));
  if (!p) throw new AppError('NOT_FOUND', `There is no product "${slug}".`);
  return p;
}

/** Every version with its upgrade paths and how many live deployments run it. */
export async function listVersions(db: Db, _actor: StaffActor) {
  const product = await fleetProduct(db);
  const [versions, paths, counts] = await Promise.all([
    db.select().from(productVersions).where(eq(productVersions.productId, product.id)).orderBy(asc(productVersions.releasedAt)),
    db.select().from(upgradePaths).where(eq(upgradePaths.productId, product.id)),
    db
      .select({ version: sql<string>`${deployments.spec}->>'version'`, n: count() })
      .from(deployments)
      .where(isNull(deployments.deletedAt))
      .groupBy(sql`${deployments.spec}->>'version'`),
  ]);
  const byVersion = new Map(counts.map((c) => [c.version, c.n]));
  return versions
    .sort((a, b) => compareVersions(a.version, b.version))
    .map((v) => ({
      ...v,
      deployments: byVersion.get(v.version) ?? 0,
      upgradesTo: paths.filter((p) => p.fromVersion === v.version).map((p) => p.toVersion).sort(compareVersions),
    }));
}

export async function publishVersion(db: Db, actor: StaffActor, input: z.infer<typeof publishVersionInput>) {
  const product = await fleetProduct(db);
  const row = await db.transaction(async (tx) => {
    const [taken] = await tx.select({ id: productVersions.id }).from(productVersions).where(and(eq(productVersions.productId, product.id), eq(productVersions.version, input.version)));
    if (taken) throw new AppError('CONFLICT', `Version ${input.version} is already published. Change its status instead.`, { field: 'version' });
    const [v] = await tx.insert(productVersions).values({ ...input, productId: product.id, releasedAt: new Date() }).returning();
    await audit(tx, { actorId: actor.userId, orgId: null, action: 'version.publish', target: input.version, after: input });
    return v!;
  });
  forgetCatalog(db);
  return row;
}

export async function setVersionStatus(db: Db, actor: StaffActor, input: z.infer<typeof versionStatusInput>) {
  const product = await fleetProduct(db);
  const row = await db.transaction(async (tx) => {
    const [v] = await tx.select().from(productVersions).where(and(eq(productVersions.productId, product.id), eq(productVersions.version, input.version))).for('update');
    if (!v) throw new AppError('NOT_FOUND', `There is no version ${input.version}.`, { field: 'version' });
    const from = VERSION_STATUSES.indexOf(v.status);
    const to = VERSION_STATUSES.indexOf(input.status);
    if (to <= from) {
      throw new AppError('BAD_REQUEST', `A version moves forward only (preview → available → deprecated → retired); ${v.version} is ${v.status}.`, { field: 'status' });
    }
    if (input.status === 'retired') {
      const [active] = await tx.select({ id: rollouts.id }).from(rollouts).where(and(eq(rollouts.productId, product.id), eq(rollouts.targetVersion, v.version), inArray(rollouts.status, ['running', 'paused', 'cancelling'])));
      if (active) throw new AppError('CONFLICT', `A rollout to ${v.version} is still under way. Cancel it or let it finish before retiring the version.`, { field: 'status' });
    }
    const [updated] = await tx.update(productVersions).set({ status: input.status }).where(eq(productVersions.id, v.id)).returning();
    await audit(tx, { actorId: actor.userId, orgId: null, action: 'version.status', target: v.version, before: { status: v.status }, after: { status: input.status } });
    return updated!;
  });
  forgetCatalog(db);
  return row;
}

export async function addUpgradePath(db: Db, actor: StaffActor, input: z.infer<typeof upgradePathInput>) {
  const product = await fleetProduct(db);
  if (compareVersions(input.toVersion, input.fromVersion) <= 0) {
    throw new AppError('BAD_REQUEST', `An upgrade goes to a newer version: choose one after ${input.fromVersion}.`, { field: 'toVersion' });
  }
  return db.transaction(async (tx) => {
    const found = await tx.select().from(productVersions).where(and(eq(productVersions.productId, product.id), inArray(productVersions.version, [input.fromVersion, input.toVersion])));
    if (!found.some((v) => v.version === input.fromVersion)) throw new AppError('BAD_REQUEST', `There is no version ${input.fromVersion}.`, { field: 'fromVersion' });
    const to = found.find((v) => v.version === input.toVersion);
    if (!to) throw new AppError('BAD_REQUEST', `There is no version ${input.toVersion}. Publish it first.`, { field: 'toVersion' });
    if (to.status === 'retired') throw new AppError('BAD_REQUEST', `${input.toVersion} is retired; nothing may upgrade to it.`, { field: 'toVersion' });
    const inserted = await tx.insert(upgradePaths).values({ productId: product.id, ...input }).onConflictDoNothing().returning();
    if (!inserted.length) throw new AppError('CONFLICT', `The path ${input.fromVersion} → ${input.toVersion} already exists.`, { field: 'toVersion' });
    await audit(tx, { actorId: actor.userId, orgId: null, action: 'version.path.add', target: `${input.fromVersion}→${input.toVersion}` });
    return inserted[0]!;
  });
}

export async function removeUpgradePath(db: Db, actor: StaffActor, input: z.infer<typeof upgradePathInput>) {
  const product = await fleetProduct(db);
  return db.transaction(async (tx) => {
    const removed = await tx
      .delete(upgradePaths)
      .where(and(eq(upgradePaths.productId, product.id), eq(upgradePaths.fromVersion, input.fromVersion), eq(upgradePaths.toVersion, input.toVersion)))
      .returning();
    if (!removed.length) throw new AppError('NOT_FOUND', `There is no path ${input.fromVersion} → ${input.toVersion}.`, { field: 'toVersion' });
    await audit(tx, { actorId: actor.userId, orgId: null, action: 'version.path.remove', target: `${input.fromVersion}→${input.toVersion}` });
    return { ok: true };
  });
}
