import { asc, eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { plans, products, productVersions, regions } from '~/db/schema';

type Catalog = Awaited<ReturnType<typeof readCatalog>>;

/**
 * The catalog is seed data (db/seed.ts): nothing changes it while a process runs, and a new release re-seeds and
 * restarts. So each process reads it once per database and product and keeps it (it was four queries on every
 * landing page view and every catalog call). Keyed by the database handle, so tests with their own databases do
 * not share entries; a failed read is not kept.
 */
const cached = new WeakMap<Db, Map<string, Promise<Catalog>>>();

/** The public catalog of one product: plans in display order, available versions, regions. */
export function getCatalog(db: Db, productSlug = 'redis'): Promise<Catalog> {
  let byProduct = cached.get(db);
  if (!byProduct) cached.set(db, (byProduct = new Map()));
  let found = byProduct.get(productSlug);
  if (!found) {
    const entries = byProduct;
    found = readCatalog(db, productSlug);
    // An unknown product is not kept either: any string reaches here from the public API.
    found.then((c) => c ?? entries.delete(productSlug), () => entries.delete(productSlug));
    byProduct.set(productSlug, found);
  }
  return found;
}

async function readCatalog(db: Db, productSlug: string) {
  const [product] = await db.select().from(products).where(eq(products.slug, productSlug));
  if (!product) return null;
  const [planRows, versionRows, regionRows] = await Promise.all([
    db.select().from(plans).where(eq(plans.productId, product.id)).orderBy(asc(plans.sortOrder)),
    db.select().from(productVersions).where(eq(productVersions.productId, product.id)).orderBy(asc(productVersions.releasedAt)),
    db.select().from(regions).where(eq(regions.available, true)).orderBy(asc(regions.sortOrder)),
  ]);
  return { product, plans: planRows, versions: versionRows.filter((v) => v.status !== 'retired'), regions: regionRows };
}
