/** Turning requests into a valid spec for a plan: the plan's limits are checked here, on the server, always. */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { plans, productVersions, regions, upgradePaths, type DeploymentSpec, type Plan } from '~/db/schema';
import { AppError } from '../../errors';
import { formatMemory } from '~/lib/format';
export { compareVersions } from '~/lib/versions';

export async function findPlan(db: DbOrTx, slug: string): Promise<Plan> {
  const [plan] = await db.select().from(plans).where(eq(plans.slug, slug));
  if (!plan) throw new AppError('BAD_REQUEST', `There is no plan called "${slug}". Choose one of the listed plans.`, { field: 'plan' });
  return plan;
}

export async function assertRegion(db: DbOrTx, id: string) {
  const [region] = await db.select().from(regions).where(and(eq(regions.id, id), eq(regions.available, true)));
  if (!region) throw new AppError('BAD_REQUEST', `Region "${id}" is not available. Choose one of the listed regions.`, { field: 'region' });
}

/** A version a customer may choose: not a preview (staff only) and not retired. */
export async function findVersion(db: DbOrTx, productId: string, version: string) {
  const [row] = await db
    .select()
    .from(productVersions)
    .where(and(eq(productVersions.productId, productId), eq(productVersions.version, version)));
  if (!row || row.status === 'retired' || row.status === 'preview') {
    throw new AppError('BAD_REQUEST', `Version "${version}" is not offered${row?.status === 'retired' ? ' any more: it is retired' : ''}. Choose one of the listed versions.`, { field: 'version' });
  }
  return row;
}

/**
 * Refuses an in-place upgrade without an explicit path (from → to), naming the path that exists: the shortest
 * chain of offered steps from the current version, or that none leads there.
 */
export async function assertUpgradePath(db: DbOrTx, productId: string, from: string, to: string) {
  const edges = await db.select().from(upgradePaths).where(eq(upgradePaths.productId, productId));
  if (edges.some((e) => e.fromVersion === from && e.toVersion === to)) return;
  const chain = shortestPath(edges, from, to);
  throw new AppError(
    'BAD_REQUEST',
    chain
      ? `There is no direct upgrade from ${from} to ${to}. Upgrade along the path ${chain.join(' → ')}: to ${chain[1]} first.`
      : `There is no upgrade path from ${from} to ${to}. Choose a version listed as an upgrade for ${from}.`,
    { field: 'version' },
  );
}

export function shortestPath(edges: Array<{ fromVersion: string; toVersion: string }>, from: string, to: string): string[] | null {
  const prev = new Map<string, string>([[from, '']]);
  const queue = [from];
  while (queue.length) {
    const v = queue.shift()!;
    if (v === to) {
      const out = [to];
      while (out[0] !== from) out.unshift(prev.get(out[0]!)!);
      return out;
    }
    for (const e of edges) {
      if (e.fromVersion !== v || prev.has(e.toVersion)) continue;
      prev.set(e.toVersion, v);
      queue.push(e.toVersion);
    }
  }
  return null;
}

type Sizing = Partial<Pick<DeploymentSpec, 'memoryMb' | 'replicas' | 'persistence' | 'config'>>;

/** Fills defaults from the plan and refuses anything beyond its limits, naming the field. */
export function buildSpec(plan: Plan, base: Pick<DeploymentSpec, 'region' | 'version'>, sizing: Sizing, previous?: DeploymentSpec): DeploymentSpec {
  const limits = plan.limits;
  const spec: DeploymentSpec = {
    plan: plan.slug,
    region: base.region,
    version: base.version,
    memoryMb: sizing.memoryMb ?? (previous && previous.memoryMb <= limits.memoryMb ? previous.memoryMb : limits.memoryMb),
    replicas: sizing.replicas ?? (previous ? Math.min(previous.replicas, limits.replicas) : limits.replicas),
    persistence: sizing.persistence ?? (previous ? previous.persistence && limits.persistence : limits.persistence),
    config: sizing.config ?? previous?.config ?? { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 },
  };
  if (spec.memoryMb > limits.memoryMb) {
    throw new AppError('BAD_REQUEST', `The ${plan.name} plan allows up to ${formatMemory(limits.memoryMb)} of memory. Choose less, or a bigger plan.`, { field: 'memoryMb' });
  }
  if (spec.replicas > limits.replicas) {
    throw new AppError(
      'BAD_REQUEST',
      limits.replicas === 0 ? `The ${plan.name} plan has no replicas. Choose Pro or Enterprise for replicas.` : `The ${plan.name} plan allows up to ${limits.replicas} replicas.`,
      { field: 'replicas' },
    );
  }
  if (spec.persistence && !limits.persistence) {
    throw new AppError('BAD_REQUEST', `The ${plan.name} plan has no persistence. Choose Starter or above to keep data on disk.`, { field: 'persistence' });
  }
  return spec;
}
