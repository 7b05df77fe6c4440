/**
 * The example product's catalog. Idempotent: rows are keyed by their natural keys and inserted only when
 * missing, so running it on every start (or twice) changes nothing that is already there.
 */
import { eq } from 'drizzle-orm';
import type { Db } from './client';
import { costRates, plans, products, productVersions, regions, upgradePaths, type PlanLimits } from './schema';

const product = {
  slug: 'redis',
  name: 'Plinth Redis',
  tagline: 'Managed Redis, provisioned in seconds.',
  description:
    'In-memory data store for caching, queues and sessions. Self-service from a free sandbox to a dedicated cluster in your own cloud account.',
};

const planRows: Array<{
  slug: string;
  name: string;
  summary: string;
  tier: 'shared' | 'dedicated' | 'byoc';
  monthlyPriceCents: number;
  hourlyRateCentiCents: number;
  limits: PlanLimits;
  features: string[];
  /** Daily snapshots kept this many days (0: none); the features line says the same. */
  snapshotRetentionDays: number;
}> = [
  {
    slug: 'free',
    name: 'Free',
    summary: 'For trying things out.',
    tier: 'shared',
    monthlyPriceCents: 0,
    hourlyRateCentiCents: 0,
    limits: { maxDeployments: 1, memoryMb: 256, storageGb: 0, replicas: 0, persistence: false, maxConnections: 30 },
    features: ['256 MB memory', '1 deployment per organization', 'Shared namespace', 'Community support'],
    snapshotRetentionDays: 0,
  },
  {
    slug: 'starter',
    name: 'Starter',
    summary: 'For small production workloads.',
    tier: 'shared',
    monthlyPriceCents: 1900,
    hourlyRateCentiCents: 260,
    limits: { maxDeployments: 5, memoryMb: 1024, storageGb: 2, replicas: 0, persistence: true, maxConnections: 256 },
    features: ['1 GB memory', 'Daily snapshots, kept 7 days', 'Stop and start, data kept', 'Up to 5 deployments', 'Email support'],
    snapshotRetentionDays: 7,
  },
  {
    slug: 'pro',
    name: 'Pro',
    summary: 'High availability with replicas.',
    tier: 'shared',
    monthlyPriceCents: 9900,
    hourlyRateCentiCents: 1360,
    limits: { maxDeployments: 20, memoryMb: 8192, storageGb: 16, replicas: 2, persistence: true, maxConnections: 2000 },
    features: ['8 GB memory', '2 replicas with failover', 'AOF persistence', 'Daily snapshots, kept 14 days', 'Priority support'],
    snapshotRetentionDays: 14,
  },
  {
    slug: 'enterprise',
    name: 'Enterprise',
    summary: 'Dedicated cluster, optionally in your own cloud account.',
    tier: 'dedicated',
    monthlyPriceCents: 99900,
    hourlyRateCentiCents: 13700,
    limits: { maxDeployments: null, memoryMb: 65536, storageGb: 128, replicas: 5, persistence: true, maxConnections: 20000 },
    // Only what the product does: BYOC is set up by Plinth staff (the org's cloud account, Terraform engine); no SLA.
    features: ['Dedicated cluster', 'Your own cloud account (BYOC), set up with our team', 'Up to 5 replicas', 'Daily snapshots, kept 30 days', 'Priority support'],
    snapshotRetentionDays: 30,
  },
];

const versionRows = [
  { version: '7.2.5', chartVersion: '19.6.4', status: 'available' as const, releasedAt: new Date('2024-05-16T00:00:00Z') },
  { version: '7.4.1', chartVersion: '20.3.0', status: 'available' as const, releasedAt: new Date('2024-10-02T00:00:00Z') },
];

/** Upgrades offered in place (from → to); a skip-version upgrade needs its own row. */
const pathRows = [{ fromVersion: '7.2.5', toVersion: '7.4.1' }];

const regionRows = [
  { id: 'eu-west-1', name: 'Europe (Ireland)', sortOrder: 1 },
  { id: 'us-east-1', name: 'US East (N. Virginia)', sortOrder: 2 },
  { id: 'ap-southeast-1', name: 'Asia Pacific (Singapore)', sortOrder: 3 },
];

/**
 * The vendor's cost per deployment-hour for each plan (hundredths of a cent), before the region's factor: an
 * illustrative starting model staff admins replace on the Unit economics page. Storage is per GB-hour.
 */
const costRows: Record<string, { compute: number; storage: number; shared: number; overhead: number }> = {
  free: { compute: 30, storage: 1, shared: 20, overhead: 10 },
  starter: { compute: 120, storage: 1, shared: 40, overhead: 10 },
  pro: { compute: 900, storage: 1, shared: 150, overhead: 10 },
  enterprise: { compute: 9000, storage: 1, shared: 0, overhead: 50 },
};
const regionFactor: Record<string, number> = { 'eu-west-1': 1, 'us-east-1': 0.95, 'ap-southeast-1': 1.15 };
/** Before any metered hour, so the seeded model prices the whole history. */
export const SEED_COST_EFFECTIVE_FROM = new Date('2020-01-01T00:00:00Z');

export async function seed(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(products).values(product).onConflictDoNothing({ target: products.slug });
    const [row] = await tx.select({ id: products.id }).from(products).where(eq(products.slug, product.slug));
    if (!row) throw new Error('seed: product row missing after insert');
    await tx
      .insert(plans)
      .values(planRows.map((p, i) => ({ ...p, productId: row.id, sortOrder: i + 1 })))
      .onConflictDoNothing({ target: [plans.productId, plans.slug] });
    await tx
      .insert(productVersions)
      .values(versionRows.map((v) => ({ ...v, productId: row.id, moduleRef: `redis-${v.version}` })))
      .onConflictDoNothing({ target: [productVersions.productId, productVersions.version] });
    await tx
      .insert(upgradePaths)
      .values(pathRows.map((p) => ({ ...p, productId: row.id })))
      .onConflictDoNothing();
    await tx.insert(regions).values(regionRows).onConflictDoNothing({ target: regions.id });
    const costs = Object.entries(costRows).flatMap(([planSlug, c]) =>
      regionRows.map((r) => {
        const k = regionFactor[r.id] ?? 1;
        return {
          planSlug,
          region: r.id,
          effectiveFrom: SEED_COST_EFFECTIVE_FROM,
          computeCentiCentsPerHour: Math.round(c.compute * k),
          storageCentiCentsPerGbHour: c.storage,
          sharedClusterCentiCentsPerHour: Math.round(c.shared * k),
          overheadCentiCentsPerHour: c.overhead,
          reason: 'Seeded starting model',
        };
      }),
    );
    await tx.insert(costRates).values(costs).onConflictDoNothing({ target: [costRates.planSlug, costRates.region, costRates.effectiveFrom] });
  });
}
