import { eq, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { users, type User } from '~/db/schema';
import { hashPassword, normalizeEmail, verifyPassword } from '../auth/password';
import { sessionCheck, type SessionCheck } from '../auth/sessions';
import { enforce, hit, isOver, limits, type Limit } from '../auth/rate-limit';
import { AppError } from '../errors';

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  return user;
}

/** The user and, with `session`, whether that session is still valid, in one query (see sessionCheck). */
export async function getUserForSession(db: Db, id: string, session?: SessionCheck): Promise<{ user: User; sessionValid: boolean } | undefined> {
  const [row] = await db
    .select({ user: users, sessionValid: session ? sessionCheck(session.sid, session.version) : sql<boolean>`true` })
    .from(users)
    .where(eq(users.id, id));
  return row;
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** Creates a password account. Input is already validated by the caller's zod schema. */
export async function signUp(
  db: Db,
  input: { email: string; password: string; name: string; ip: string },
  deps: { signUpsPerIpPerHour?: number } = {},
): Promise<Pick<User, 'id' | 'email'>> {
  await enforce(db, [[`signup:ip:${input.ip}`, { ...limits.signUpPerIp, limit: deps.signUpsPerIpPerHour ?? limits.signUpPerIp.limit }]]);
  const passwordHash = await hashPassword(input.password);
  const [user] = await db
    .insert(users)
    .values({ email: input.email, name: input.name, passwordHash })
    .onConflictDoNothing({ target: users.email })
    .returning({ id: users.id, email: users.email });
  if (!user) {
    throw new AppError('CONFLICT', 'An account with this email already exists. Sign in instead.', { field: 'email' });
  }
  return user;
}

/** One reason for every wrong email/password combination, so the answer never says whether an email has an account. */
export type SignInFailure = 'invalid_credentials' | 'rate_limited';

/** Verified against when the email has no password account, so both answers cost the same argon2 work. */
let dummyHash: Promise<string> | undefined;

/**
 * Checks a password sign-in. Only failures count towards the limits, keyed three ways: email+address (the
 * guesser's lock-out), email alone (a slower ceiling) and address alone (stuffing across emails). The owner,
 * from their own address and with the right password, is not locked out by someone else's failures.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string },
): Promise<{ ok: true; user: User } | { ok: false; reason: SignInFailure }> {
  const email = normalizeEmail(input.email);
  const keys: Array<[string, Limit]> = [
    [`signin:fail:pair:${email}|${input.ip}`, limits.signInFailPerEmailIp],
    [`signin:fail:email:${email}`, limits.signInFailPerEmail],
    [`signin:fail:ip:${input.ip}`, limits.signInFailPerIp],
  ];
  for (const [key, limit] of keys) if (await isOver(db, key, limit)) return { ok: false, reason: 'rate_limited' };
  const user = await findUserByEmail(db, email);
  dummyHash ??= hashPassword('no account has this password');
  const matches = await verifyPassword(user?.passwordHash ?? (await dummyHash), input.password);
  if (user?.passwordHash && matches) return { ok: true, user };
  for (const [key, limit] of keys) await hit(db, key, limit);
  return { ok: false, reason: 'invalid_credentials' };
}

/** Finds or creates the user behind a verified OAuth email. */
export async function upsertOAuthUser(db: Db, input: { email: string; name: string }): Promise<User> {
  const email = normalizeEmail(input.email);
  await db.insert(users).values({ email, name: input.name }).onConflictDoNothing({ target: users.email });
  const user = await findUserByEmail(db, email);
  if (!user) throw new Error('OAuth user missing after upsert');
  return user;
}
