/**
 * Forgot password. The answer never says whether an account exists (the same message, and a mail only when one
 * does); tokens are 32 random bytes, stored as sha256, single use, valid for 30 minutes, and a new request
 * replaces older unused ones. Setting the password ends every session, as a password change does.
 */
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { passwordResets, users } from '~/db/schema';
import { normalizeEmail } from '~/lib/inputs/account';
import { hashPassword } from '../auth/password';
import { enforce, type Limit } from '../auth/rate-limit';
import { endAllSessions } from '../auth/sessions';
import { AppError } from '../errors';
import { queueMail } from '../mail';
import { passwordResetMail } from '../mail/templates';
import { audit } from './audit';

export const RESET_TTL_MINUTES = 30;
const perEmail: Limit = { limit: 5, windowMs: 60 * 60_000 };
const perIp: Limit = { limit: 20, windowMs: 60 * 60_000 };

const hashToken = (t: string) => createHash('sha256').update(t).digest('hex');

export const RESET_REQUESTED = 'If an account with a password uses this address, a reset link is on its way. Check your inbox (and spam).';

export async function requestPasswordReset(db: Db, input: { email: string; ip: string }, deps: { appUrl: string }) {
  const email = normalizeEmail(input.email);
  await enforce(db, [[`reset-ip:${input.ip}`, perIp], [`reset-email:${email}`, perEmail]], 'email');
  const [user] = await db.select().from(users).where(eq(users.email, email));
  // GitHub/Google-only accounts have no password to reset: same answer, no mail.
  if (user?.passwordHash) {
    const token = randomBytes(32).toString('base64url');
    await db.transaction(async (tx) => {
      await tx.update(passwordResets).set({ usedAt: sql`now()` }).where(and(eq(passwordResets.userId, user.id), isNull(passwordResets.usedAt)));
      await tx.insert(passwordResets).values({ userId: user.id, tokenHash: hashToken(token), expiresAt: sql`now() + make_interval(mins => ${RESET_TTL_MINUTES})` as unknown as Date });
      await queueMail(tx, passwordResetMail(user.email, user.id, { link: `${deps.appUrl.replace(/\/$/, '')}/reset-password/${token}`, minutes: RESET_TTL_MINUTES }));
    });
  }
  return { message: RESET_REQUESTED };
}

export async function resetPassword(db: Db, input: { token: string; newPassword: string }) {
  const passwordHash = await hashPassword(input.newPassword);
  return db.transaction(async (tx) => {
    // Claimed by the update itself: of two uses of one link at once, exactly one wins.
    const [row] = await tx
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.tokenHash, hashToken(input.token)), isNull(passwordResets.usedAt), gt(passwordResets.expiresAt, sql`now()`)))
      .returning();
    if (!row) throw new AppError('BAD_REQUEST', 'This reset link was already used or has expired. Ask for a new one.', { field: 'token' });
    const [user] = await tx.update(users).set({ passwordHash }).where(eq(users.id, row.userId)).returning({ id: users.id, email: users.email });
    await endAllSessions(tx, row.userId);
    await audit(tx, { actorId: row.userId, orgId: null, action: 'user.password_reset', target: row.userId });
    return { email: user!.email };
  });
}
