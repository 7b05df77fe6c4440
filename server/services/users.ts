import { eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { users, type User } from '~/db/schema';
import { hashPassword, normalizeEmail, verifyPassword } from '../auth/password';
import { enforce, limits } from '../auth/rate-limit';
import { AppError } from '../errors';

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.email, normalizeEmail(email)));
  return user;
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  const [user] = await db.select().from(users).where(eq(users.id, id));
  return user;
}

/** Creates a password account. Input is already validated by the caller's zod schema. */
export async function signUp(
  db: Db,
  input: { email: string; password: string; name: string; ip: string },
): Promise<Pick<User, 'id' | 'email'>> {
  await enforce(db, [[`signup:ip:${input.ip}`, limits.signUpPerIp]]);
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

export type SignInFailure = 'unknown_email' | 'wrong_password' | 'rate_limited' | 'no_password';

/**
 * Checks a password sign-in. Counts the attempt against the email and the IP first, so guessing is throttled
 * whether or not the guesses are right.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ip: string },
): Promise<{ ok: true; user: User } | { ok: false; reason: SignInFailure }> {
  const email = normalizeEmail(input.email);
  try {
    await enforce(db, [
      [`signin:email:${email}`, limits.signInPerEmail],
      [`signin:ip:${input.ip}`, limits.signInPerIp],
    ]);
  } catch (e) {
    if (e instanceof AppError && e.code === 'TOO_MANY_REQUESTS') return { ok: false, reason: 'rate_limited' };
    throw e;
  }
  const user = await findUserByEmail(db, email);
  if (!user) return { ok: false, reason: 'unknown_email' };
  if (!user.passwordHash) return { ok: false, reason: 'no_password' };
  if (!(await verifyPassword(user.passwordHash, input.password))) return { ok: false, reason: 'wrong_password' };
  return { ok: true, user };
}

/** Finds or creates the user behind a verified OAuth email. */
export async function upsertOAuthUser(db: Db, input: { email: string; name: string }): Promise<User> {
  const email = normalizeEmail(input.email);
  await db.insert(users).values({ email, name: input.name }).onConflictDoNothing({ target: users.email });
  const user = await findUserByEmail(db, email);
  if (!user) throw new Error('OAuth user missing after upsert');
  return user;
}
