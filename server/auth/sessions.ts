/**
 * Revocable sessions on top of Auth.js's JWT cookies. Each session carries a random id and the user's session
 * version at sign-in; every read of the session (auth(), so every request) checks both against the database:
 *
 * - signing out records the session id as revoked (until it would have expired), so a copied cookie dies with it;
 * - "sign out everywhere" and a password change bump the user's version, ending every session they have;
 * - a user who no longer exists has no valid session.
 */
import { and, eq, lt, sql, type Placeholder } from 'drizzle-orm';
import type { DbOrTx } from '~/db/client';
import { revokedSessions, users } from '~/db/schema';

/** True when the session `sid` issued at `version` for `userId` may still be used. One indexed query. */
export async function sessionIsValid(db: DbOrTx, userId: string, sid: string | undefined, version: number): Promise<boolean> {
  const [row] = await db
    .select({
      version: users.sessionVersion,
      revoked: sql<boolean>`exists (select 1 from ${revokedSessions} where ${revokedSessions.id} = ${sid ?? ''})`,
    })
    .from(users)
    .where(eq(users.id, userId));
  return !!row && row.version === version && !row.revoked;
}

/**
 * The same check as an SQL condition on a query that already reads `users`, so the tRPC procedures test the
 * session in the user(+membership) lookup they make anyway instead of in a query of its own.
 */
/** A session's claims as the check needs them: its id and the user's session version at sign-in. */
export type SessionCheck = { sid: string | undefined; version: number };

export function sessionCheck(sid: string | undefined | Placeholder, version: number | Placeholder) {
  return sql<boolean>`(${users.sessionVersion} = ${version} and not exists (select 1 from ${revokedSessions} where ${revokedSessions.id} = ${sid ?? ''}))`;
}

/** Ends one session: its id is refused from now until `expiresAt`. Old entries are swept on the way. */
export async function revokeSession(db: DbOrTx, sid: string, expiresAt: Date): Promise<void> {
  await db.insert(revokedSessions).values({ id: sid, expiresAt }).onConflictDoNothing();
  await db.delete(revokedSessions).where(lt(revokedSessions.expiresAt, sql`now()`));
}

/** Ends every session of the user (sign out everywhere, password change). */
export async function endAllSessions(db: DbOrTx, userId: string): Promise<void> {
  await db.update(users).set({ sessionVersion: sql`${users.sessionVersion} + 1` }).where(and(eq(users.id, userId)));
}
