/**
 * A bounded retry for transactions Postgres aborted to break a deadlock (40P01) or a serialization conflict
 * (40001). Both mean "nothing was written, run it again": the failed transaction rolled back as a whole. Every
 * write path takes locks organization first, then deployment (see lockActiveOrg), so deadlocks should not
 * happen; this is the safety net that keeps a rare one a short delay instead of a 500.
 */
const RETRYABLE = new Set(['40001', '40P01']);
export const MAX_ATTEMPTS = 3;

/** Walks the cause chain (drizzle wraps driver errors) looking for a retryable SQLSTATE. */
export function isRetryableDbError(e: unknown): boolean {
  for (let cur = e, depth = 0; cur && depth < 6; cur = (cur as { cause?: unknown }).cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && RETRYABLE.has(code)) return true;
  }
  return false;
}

/** Runs `attempt` up to MAX_ATTEMPTS times while it fails with a retryable database error, with a short jitter. */
export async function withDbRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (e) {
      if (i >= MAX_ATTEMPTS || !isRetryableDbError(e)) throw e;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * i));
    }
  }
}
