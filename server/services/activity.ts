/**
 * An organization's own audit trail, as its members see it: who did what, when, newest first. Staff reads of the
 * tenant (`staff.*`) are the staff's business and left out; changes staff made to the org (a suspension, a credit)
 * are shown, signed "Plinth staff" rather than with a staff member's name.
 */
import { and, desc, eq, like, not, or, type SQL } from 'drizzle-orm';
import type { z } from 'zod';
import type { Db } from '~/db/client';
import { auditLog, memberships, users } from '~/db/schema';
import type { ActivityKind, orgActivityInput } from '~/lib/inputs/activity';
import type { OrgActor } from '../actor';

const PREFIXES: Record<ActivityKind, string[]> = {
  deployment: ['deployment.'],
  member: ['member.'],
  invitation: ['invitation.'],
  org: ['org.'],
  billing: ['credit.', 'tenant.paid_trial', 'billing.'],
};

/** Plain words for the actions an org's trail holds; anything else falls back to its code with spaces. */
const LABELS: Record<string, string> = {
  'org.create': 'Created the organization',
  'org.rename': 'Renamed the organization',
  'org.suspend': 'Suspended the organization',
  'org.resume': 'Resumed the organization',
  'member.role_change': 'Changed a member’s role',
  'member.remove': 'Removed a member',
  'member.leave': 'Left the organization',
  'invitation.create': 'Created an invitation',
  'invitation.revoke': 'Revoked an invitation',
  'invitation.accept': 'Joined through an invitation',
  'deployment.create': 'Created a deployment',
  'deployment.update': 'Changed a deployment',
  'deployment.upgrade': 'Upgraded a deployment',
  'deployment.delete': 'Deleted a deployment',
  'deployment.retry': 'Retried a deployment',
  'deployment.force_reconcile': 'Re-applied a deployment',
  'deployment.credentials_reveal': 'Revealed a deployment’s credentials',
  'credit.issue': 'Issued a credit',
  'tenant.paid_trial': 'Granted a paid-plan trial',
};
export const activityLabel = (action: string) => LABELS[action] ?? action.replace(/[._]/g, ' ');

export async function listOrgActivity(db: Db, actor: OrgActor, input: z.infer<typeof orgActivityInput>) {
  const where: SQL[] = [eq(auditLog.orgId, actor.orgId), not(like(auditLog.action, 'staff.%'))];
  if (input.kind) where.push(or(...PREFIXES[input.kind].map((p) => like(auditLog.action, `${p}%`)))!);
  if (input.actorId) where.push(eq(auditLog.actorId, input.actorId));
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      action: auditLog.action,
      target: auditLog.target,
      reason: auditLog.reason,
      actorId: auditLog.actorId,
      actorName: users.name,
      actorEmail: users.email,
      staffRole: users.staffRole,
      member: memberships.userId,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .leftJoin(memberships, and(eq(memberships.userId, auditLog.actorId), eq(memberships.orgId, auditLog.orgId)))
    .where(and(...where))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(200);
  const people = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, actor.orgId))
    .orderBy(users.email);
  return {
    entries: rows.map((r) => {
      const staff = r.actorId !== null && r.member === null && r.staffRole !== 'none';
      return {
        id: r.id,
        at: r.at,
        action: r.action,
        label: activityLabel(r.action),
        actor: r.actorId === null ? 'Plinth' : staff ? 'Plinth staff' : r.actorName || r.actorEmail || 'A former member',
        // Staff reasons are internal notes; the customer sees what happened, not the note.
        reason: staff ? null : r.reason,
      };
    }),
    people,
  };
}
