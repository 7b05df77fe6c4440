/**
 * Fixed-window rate limiting kept in Postgres, so every web process (and a restart) sees the same counters.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { rateLimits } from '~/db/schema';
import { AppError } from '../errors';

export type Limit = { limit: number; windowMs: number };

export const limits = {
  /** Failed sign-ins for one email from one address: the lock-out a guesser hits first. */
  signInFailPerEmailIp: { limit: 10, windowMs: 15 * 60_000 },
  /**
   * Failed sign-ins for one email from anywhere: a slower ceiling against guessing from many addresses. High
   * enough that someone else's failures rarely lock the owner out of their own account.
   */
  signInFailPerEmail: { limit: 100, windowMs: 60 * 60_000 },
  /** Failed sign-ins from one address across emails (credential stuffing). */
  signInFailPerIp: { limit: 50, windowMs: 15 * 60_000 },
  signUpPerIp: { limit: 20, windowMs: 60 * 60_000 },
  passwordChange: { limit: 10, windowMs: 60 * 60_000 },
} satisfies Record<string, Limit>;

/** Counts one attempt against `key`; returns false when the window's allowance is used up. */
export async function hit(db: DbOrTx, key: string, { limit, windowMs }: Limit): Promise<boolean> {
  const windowSec = windowMs / 1000;
  const expired = sql`${rateLimits.windowStart} < now() - make_interval(secs => ${windowSec})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart: sql`now()`, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${expired} then 1 else ${rateLimits.count} + 1 end`,
        windowStart: sql`case when ${expired} then now() else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count });
  return (row?.count ?? 0) <= limit;
}

/** Whether `key` has used up its window's allowance, without counting an attempt. */
export async function isOver(db: DbOrTx, key: string, { limit, windowMs }: Limit): Promise<boolean> {
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), sql`${rateLimits.windowStart} >= now() - make_interval(secs => ${windowMs / 1000})`));
  return (row?.count ?? 0) >= limit;
}

/** Throws TOO_MANY_REQUESTS when any of the keys is over its limit. Every key is counted either way. */
export async function enforce(db: DbOrTx, checks: Array<[string, Limit]>, field?: string): Promise<void> {
  let allowed = true;
  for (const [key, limit] of checks) allowed = (await hit(db, key, limit)) && allowed;
  if (!allowed) {
    throw new AppError('TOO_MANY_REQUESTS', 'Too many attempts. Wait a few minutes and try again.', { field });
  }
}
