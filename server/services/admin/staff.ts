/** Who is staff, and admins granting or revoking staff roles from the internal console. */
import { desc, eq, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '~/db/client';
import { auditLog, users, type StaffRole } from '~/db/schema';
import { AppError } from '../../errors';
import { setStaffRole } from '../staff';
import { findUserByEmail } from '../users';

export async function listStaff(db: Db) {
  const actor = alias(users, 'actor');
  const target = alias(users, 'target');
  const [members, changes] = await Promise.all([
    db
      .select({ id: users.id, email: users.email, name: users.name, staffRole: users.staffRole, createdAt: users.createdAt })
      .from(users)
      .where(ne(users.staffRole, 'none'))
      .orderBy(users.email),
    db
      .select({ id: auditLog.id, at: auditLog.at, before: auditLog.before, after: auditLog.after, reason: auditLog.reason, actor: actor.email, target: target.email })
      .from(auditLog)
      .leftJoin(actor, eq(actor.id, auditLog.actorId))
      .leftJoin(target, sql`${target.id}::text = ${auditLog.target}`)
      .where(eq(auditLog.action, 'staff.role_change'))
      .orderBy(desc(auditLog.at))
      .limit(30),
  ]);
  return {
    members,
    changes: changes.map((c) => ({
      ...c,
      from: (c.before as { staffRole?: StaffRole } | null)?.staffRole ?? 'none',
      to: (c.after as { staffRole?: StaffRole } | null)?.staffRole ?? 'none',
    })),
  };
}

/**
 * Grants or revokes a staff role (role 'none' revokes). An admin cannot change their own role: that is how the
 * last admin would lock everyone out, and a second admin is the check on the first.
 */
export async function changeStaffRole(db: Db, input: { actorId: string; email: string; role: StaffRole; reason: string }) {
  const user = await findUserByEmail(db, input.email);
  if (!user) throw new AppError('NOT_FOUND', `No one has signed up as ${input.email}. Ask them to create an account first.`, { field: 'email' });
  if (user.id === input.actorId) throw new AppError('FORBIDDEN', 'You cannot change your own staff role. Ask another admin.', { field: 'email' });
  if (user.staffRole === input.role) {
    throw new AppError('BAD_REQUEST', input.role === 'none' ? `${user.email} is not staff.` : `${user.email} is already ${input.role}.`, { field: 'role' });
  }
  return setStaffRole(db, { email: user.email, role: input.role, actorId: input.actorId, reason: input.reason });
}

