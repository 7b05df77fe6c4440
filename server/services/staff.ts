/**
 * Plinth staff (support and admin): who they are, and granting or revoking their roles — from the command line
 * (actor null) or by an admin in the internal console.
 */
import { desc, eq, ne, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '~/db/client';
import { auditLog, users, type StaffRole } from '~/db/schema';
import { normalizeEmail } from '../auth/password';
import type { StaffActor } from '../actor';
import { AppError } from '../errors';
import { audit } from './audit';
import { findUserByEmail } from './users';

/** Grants or revokes a staff role, unchecked: the CLI's path, and the last step of changeStaffRole. */
export async function setStaffRole(db: Db, actor: Pick<StaffActor, 'userId'> | null, input: { email: string; role: StaffRole; reason: string }) {
  return db.transaction(async (tx) => {
    const [user] = await tx.select().from(users).where(eq(users.email, normalizeEmail(input.email))).for('update');
    if (!user) throw new AppError('NOT_FOUND', `No user with email ${input.email}. They must sign up first.`);
    await tx.update(users).set({ staffRole: input.role }).where(eq(users.id, user.id));
    await audit(tx, {
      actorId: actor?.userId ?? null,
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
export async function changeStaffRole(db: Db, actor: StaffActor, input: { email: string; role: StaffRole; reason: string }) {
  const user = await findUserByEmail(db, input.email);
  if (!user) throw new AppError('NOT_FOUND', `No one has signed up as ${input.email}. Ask them to create an account first.`, { field: 'email' });
  if (user.id === actor.userId) throw new AppError('FORBIDDEN', 'You cannot change your own staff role. Ask another admin.', { field: 'email' });
  if (user.staffRole === input.role) {
    throw new AppError('BAD_REQUEST', input.role === 'none' ? `${user.email} is not staff.` : `${user.email} is already ${input.role}.`, { field: 'role' });
  }
  return setStaffRole(db, actor, { email: user.email, role: input.role, reason: input.reason });
}

