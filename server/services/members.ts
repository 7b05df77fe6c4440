import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '~/db/client';
import { memberships, users, type OrgRole } from '~/db/schema';
import { AppError } from '../errors';
import type { OrgActor } from '../actor';
import { audit, by } from './audit';

export async function listMembers(db: Db, actor: Pick<OrgActor, 'orgId'>) {
  const { orgId } = actor;
  return db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.createdAt));
}

/**
 * Locks the org's owner rows and returns how many there are. Two owners demoting each other at once
 * serialize here, so the org can never end up without an owner.
 */
async function lockOwners(tx: Tx, orgId: string): Promise<number> {
  const owners = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')))
    .for('update');
  return owners.length;
}

async function targetMembership(tx: Tx, orgId: string, userId: string) {
  const [row] = await tx
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
    .for('update');
  if (!row) throw new AppError('NOT_FOUND', 'That person is not a member of this organization.');
  return row;
}

/** Only owners may hand out or take away ownership. */
function assertMayManage(actorRole: OrgRole, targetRole: OrgRole, newRole?: OrgRole) {
  if (actorRole !== 'owner' && (targetRole === 'owner' || newRole === 'owner')) {
    throw new AppError('FORBIDDEN', 'Only an owner can change or remove an owner, or make someone an owner.');
  }
}

export async function changeMemberRole(db: Db, actor: OrgActor, input: { userId: string; role: OrgRole }) {
  return db.transaction(async (tx) => {
    const owners = await lockOwners(tx, actor.orgId);
    const target = await targetMembership(tx, actor.orgId, input.userId);
    assertMayManage(actor.role, target.role, input.role);
    if (target.role === input.role) return { userId: input.userId, role: input.role };
    if (target.role === 'owner' && owners <= 1) {
      throw new AppError('PRECONDITION_FAILED', 'This is the last owner. Make someone else an owner first.');
    }
    await tx
      .update(memberships)
      .set({ role: input.role })
      .where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, input.userId)));
    await audit(tx, {
      ...by(actor),
      orgId: actor.orgId,
      action: 'member.role_change',
      target: input.userId,
      before: { role: target.role },
      after: { role: input.role },
    });
    return { userId: input.userId, role: input.role };
  });
}

/** Removes a member; also used for leaving (actor = target). */
export async function removeMember(db: Db, actor: OrgActor, input: { userId: string }) {
  await db.transaction(async (tx) => {
    const owners = await lockOwners(tx, actor.orgId);
    const target = await targetMembership(tx, actor.orgId, input.userId);
    if (actor.userId !== input.userId) assertMayManage(actor.role, target.role);
    if (target.role === 'owner' && owners <= 1) {
      throw new AppError(
        'PRECONDITION_FAILED',
        actor.userId === input.userId
          ? 'You are the last owner. Make someone else an owner before you leave.'
          : 'This is the last owner and cannot be removed.',
      );
    }
    await tx.delete(memberships).where(and(eq(memberships.orgId, actor.orgId), eq(memberships.userId, input.userId)));
    await audit(tx, {
      ...by(actor),
      orgId: actor.orgId,
      action: actor.userId === input.userId ? 'member.leave' : 'member.remove',
      target: input.userId,
      before: { role: target.role },
    });
  });
}
