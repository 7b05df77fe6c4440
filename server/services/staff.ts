import { eq } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { users, type StaffRole } from '~/db/schema';
import { normalizeEmail } from '../auth/password';
import { AppError } from '../errors';
import { audit } from './audit';

/** Grants or revokes a staff role. Used by the CLI (actor null) and, later, by admins in the internal console. */
export async function setStaffRole(db: Db, input: { email: string; role: StaffRole; actorId: string | null; reason: string }) {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, normalizeEmail(input.email))).for('update');
    if (!user) throw new AppError('NOT_FOUND', `No user with email ${input.email}. They must sign up first.`);
    await tx.update(users).set({ staffRole: input.role }).where(eq(users.id, user.id));
    await audit(tx, {
      actorId: input.actorId,
      orgId: null,
      action: 'staff.role_change',
      target: user.id,
      before: { staffRole: user.staffRole },
      after: { staffRole: input.role },
      reason: input.reason,
    });
    return { id: user.id, email: user.email, staffRole: input.role };
  });
}
