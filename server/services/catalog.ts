import { asc, eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { plans, products, productVersions, regions } from '~/db/schema';

/** The public catalog of one product: plans in display order, available versions, regions. */
export async function getCatalog(db: Db, productSlug = 'redis') {
  const [product] = await db.select().from(products).where(eq(products.slug, productSlug));
  if (!product) return null;
  const [planRows, versionRows, regionRows] = await Promise.all([
    db.select().from(plans).where(eq(plans.productId, product.id)).orderBy(asc(plans.sortOrder)),
    db.select().from(productVersions).where(eq(productVersions.productId, product.id)).orderBy(asc(productVersions.releasedAt)),
    db.select().from(regions).where(eq(regions.available, true)).orderBy(asc(regions.sortOrder)),
  ]);
  return { product, plans: planRows, versions: versionRows.filter((v) => v.status !== 'retired'), regions: regionRows };
}
