/** Turning requests into a valid spec for a plan: the plan's limits are checked here, on the server, always. */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { plans, productVersions, regions, type DeploymentSpec, type Plan } from '~/db/schema';
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

export async function findVersion(db: DbOrTx, productId: string, version: string) {
  const [row] = await db
    .select()
    .from(productVersions)
    .where(and(eq(productVersions.productId, productId), eq(productVersions.version, version)));
  if (!row || row.status === 'retired') {
    throw new AppError('BAD_REQUEST', `Version "${version}" is not offered. Choose one of the listed versions.`, { field: 'version' });
  }
  return row;
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
