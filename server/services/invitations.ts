import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { invitations, memberships, organizations, users, type OrgRole } from '~/db/schema';
import { AppError } from '../errors';
import type { OrgActor } from '../actor';
import { audit, by } from './audit';
import { queueMail } from '../mail';
import { invitationMail } from '../mail/templates';

const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Creates an invitation and returns its token once; only its hash is stored. */
export async function createInvitation(db: Db, actor: OrgActor, input: { role: OrgRole; email: string | null }, deps: { appUrl?: string } = {}) {
  if (input.role === 'owner' && actor.role !== 'owner') {
    throw new AppError('FORBIDDEN', 'Only an owner can invite another owner.', { field: 'role' });
  }
  const token = randomBytes(24).toString('base64url');
  return db.transaction(async (tx) => {
    const [inv] = await tx
      .insert(invitations)
      .values({
        orgId: actor.orgId,
        email: input.email,
        role: input.role,
        tokenHash: hashToken(token),
        invitedBy: actor.userId,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'invitation.create', target: inv!.id, after: { role: input.role, email: input.email } });
    // An invitation for an address is also mailed (queued here, sent by the mail job, or kept in the local outbox).
    if (input.email && deps.appUrl) {
      const [who] = await tx
        .select({ orgName: organizations.name, inviter: users.email })
        .from(organizations)
        .innerJoin(users, eq(users.id, actor.userId))
        .where(eq(organizations.id, actor.orgId));
      if (who) await queueMail(tx, invitationMail(input.email, { orgName: who.orgName, inviter: who.inviter, role: input.role, link: `${deps.appUrl.replace(/\/$/, '')}/invite/${token}` }));
    }
    return { id: inv!.id, token, role: inv!.role, email: inv!.email, expiresAt: inv!.expiresAt };
  });
}

/** Pending (not accepted, not revoked, not expired) invitations of an org. */
export async function listInvitations(db: Db, actor: Pick<OrgActor, 'orgId'>) {
  const { orgId } = actor;
  return db
    .select({
      id: invitations.id,
      email: invitations.email,
      role: invitations.role,
      expiresAt: invitations.expiresAt,
      createdAt: invitations.createdAt,
      invitedBy: users.email,
    })
    .from(invitations)
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(
      and(
        eq(invitations.orgId, orgId),
        isNull(invitations.acceptedAt),
        isNull(invitations.revokedAt),
        gt(invitations.expiresAt, new Date()),
      ),
    )
    .orderBy(desc(invitations.createdAt));
}

export async function revokeInvitation(db: Db, actor: OrgActor, input: { invitationId: string }) {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(eq(invitations.id, input.invitationId), eq(invitations.orgId, actor.orgId), isNull(invitations.acceptedAt), isNull(invitations.revokedAt)))
      .returning({ id: invitations.id });
    if (!row) throw new AppError('NOT_FOUND', 'That invitation was already used, revoked, or does not exist.');
    await audit(tx, { ...by(actor), orgId: actor.orgId, action: 'invitation.revoke', target: row.id });
  });
}

/** What the invite page shows before the invitee decides. Never reveals anything but the org name and role. */
export async function describeInvitation(db: Db, token: string) {
  const [row] = await db
    .select({ inv: invitations, orgName: organizations.name, inviter: users.name, inviterEmail: users.email })
    .from(invitations)
    .innerJoin(organizations, eq(organizations.id, invitations.orgId))
    .innerJoin(users, eq(users.id, invitations.invitedBy))
    .where(eq(invitations.tokenHash, hashToken(token)));
  if (!row) return { state: 'invalid' as const };
  const { inv } = row;
  const state = inv.revokedAt ? 'revoked' : inv.acceptedAt ? 'accepted' : inv.expiresAt < new Date() ? 'expired' : 'pending';
  return {
    state,
    orgName: row.orgName,
    role: inv.role,
    email: inv.email,
    invitedBy: row.inviter || row.inviterEmail,
    expiresAt: inv.expiresAt,
  } as const;
}

/** Accepts an invitation for the signed-in user. Single use: the update only matches a pending invitation. */
export async function acceptInvitation(db: Db, input: { token: string; userId: string; email: string }) {
  return db.transaction(async (tx) => {
    const [inv] = await tx.select().from(invitations).where(eq(invitations.tokenHash, hashToken(input.token))).for('update');
    if (!inv || inv.revokedAt) throw new AppError('NOT_FOUND', 'This invitation link is not valid. Ask for a new one.');
    if (inv.acceptedAt) throw new AppError('CONFLICT', 'This invitation has already been used. Ask for a new one.');
    if (inv.expiresAt < new Date()) throw new AppError('PRECONDITION_FAILED', 'This invitation has expired. Ask for a new one.');
    if (inv.email && inv.email !== input.email) {
      throw new AppError('FORBIDDEN', `This invitation is for ${inv.email}. Sign in with that address to accept it.`);
    }
    const [org] = await tx.select({ deletionRequestedAt: organizations.deletionRequestedAt }).from(organizations).where(eq(organizations.id, inv.orgId));
    if (org?.deletionRequestedAt) throw new AppError('CONFLICT', 'This organization is being deleted; its invitations can no longer be accepted.');
    const [existing] = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.orgId, inv.orgId), eq(memberships.userId, input.userId)));
    if (existing) throw new AppError('CONFLICT', 'You are already a member of this organization.');
    await tx.insert(memberships).values({ orgId: inv.orgId, userId: input.userId, role: inv.role });
    await tx.update(invitations).set({ acceptedAt: new Date(), acceptedBy: input.userId }).where(eq(invitations.id, inv.id));
    await audit(tx, { actorId: input.userId, orgId: inv.orgId, action: 'invitation.accept', target: inv.id, after: { role: inv.role } });
    return { orgId: inv.orgId, role: inv.role };
  });
}
