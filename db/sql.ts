/**
 * Raw SQL for the internal console's cross-table reads (unions, per-org aggregates), which the query builder
 * would only make harder to read. The two drivers return rows differently and parse types differently, so
 * results go through these helpers: PGlite hands back Dates and objects, postgres.js (as drizzle configures
 * it) strings.
 */
import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';

export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as T[] | { rows: T[] };
  return Array.isArray(result) ? result : result.rows;
}

export const toDate = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
export const toDateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : toDate(v));
export const toJson = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));
export const toInt = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

