/**
 * What a signed-in person changes about their own account: display name, password, and ending their sessions.
 * A password change ends every session (a thief's copied cookie included); the form signs the person back in.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { users } from '~/db/schema';
import { hashPassword, verifyPassword } from '../auth/password';
import { enforce, limits } from '../auth/rate-limit';
import { endAllSessions } from '../auth/sessions';
import { AppError } from '../errors';
import { audit } from './audit';

export async function updateProfile(db: Db, input: { userId: string; name: string }) {
  await db.update(users).set({ name: input.name }).where(eq(users.id, input.userId));
  return { name: input.name };
}

export async function changePassword(db: Db, input: { userId: string; currentPassword: string; newPassword: string }) {
  const [user] = await db.select().from(users).where(eq(users.id, input.userId));
  if (!user) throw new AppError('UNAUTHORIZED', 'Your account no longer exists. Sign in again.');
  // A stolen session must not be able to add a password to a GitHub/Google account (lasting access).
  if (!user.passwordHash) {
    throw new AppError('PRECONDITION_FAILED', 'Your account signs in with GitHub or Google; it has no password to change.');
  }
  // Guessing the current password from a stolen session is throttled like guessing it at sign-in.
  await enforce(db, [[`password-change:${user.id}`, limits.passwordChange]], 'currentPassword');
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new AppError('BAD_REQUEST', 'Your current password is not right.', { field: 'currentPassword' });
  }
  if (input.newPassword === input.currentPassword) {
    throw new AppError('BAD_REQUEST', 'Choose a password different from the current one.', { field: 'newPassword' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    await endAllSessions(tx, user.id);
    await audit(tx, { actorId: user.id, orgId: null, action: 'user.password_change', target: user.id });
  });
  return { email: user.email };
}

export async function signOutEverywhere(db: Db, userId: string) {
  await db.transaction(async (tx) => {
    await endAllSessions(tx, userId);
    await audit(tx, { actorId: userId, orgId: null, action: 'user.sign_out_everywhere', target: userId });
  });
  return { ok: true };
}
