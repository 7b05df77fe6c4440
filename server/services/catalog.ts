import { asc, eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { plans, products, productVersions, regions } from '~/db/schema';

type Catalog = Awaited<ReturnType<typeof readCatalog>>;

/**
 * The catalog is mostly seed data (db/seed.ts); only staff publishing or retiring a version changes it while a
 * process runs. So each process keeps it per database and product for CACHE_MS (it was four queries on every
 * landing page view and every catalog call), and the process that changed a version forgets it at once
 * (`forgetCatalog`); other processes see the change within CACHE_MS. Keyed by the database handle, so tests with
 * their own databases do not share entries; a failed read is not kept.
 */
const CACHE_MS = 10_000;
const cached = new WeakMap<Db, Map<string, Promise<Catalog>>>();

export function forgetCatalog(db: Db): void {
  cached.delete(db);
}

/** The public catalog of one product: plans in display order, available versions, regions. */
export function getCatalog(db: Db, productSlug = 'redis'): Promise<Catalog> {
  let byProduct = cached.get(db);
  if (!byProduct) cached.set(db, (byProduct = new Map()));
  let found = byProduct.get(productSlug);
  if (!found) {
    const entries = byProduct;
    const read = readCatalog(db, productSlug);
    found = read;
    // An unknown product is not kept either: any string reaches here from the public API.
    read.then((c) => c ?? entries.delete(productSlug), () => entries.delete(productSlug));
    setTimeout(() => entries.get(productSlug) === read && entries.delete(productSlug), CACHE_MS).unref?.();
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
  return { product, plans: planRows, versions: versionRows.filter((v) => v.status === 'available' || v.status === 'deprecated'), regions: regionRows };
}
