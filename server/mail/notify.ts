/**
 * Notification mail from events: a deployment failed, an upgrade was scheduled (members), an invoice was issued
 * (owners and admins), to everyone concerned who has not turned that notification off. Events are claimed
 * FOR UPDATE SKIP LOCKED and marked `mailed_at` in the transaction that queues their mails, so each event is
 * mailed once however many workers run this.
 */
import { consoleHref } from '~/lib/console-href';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '~/db/client';
import { events, memberships, notificationPreferences, organizations, users } from '~/db/schema';
import type { NotificationKind } from '~/lib/notifications';
import { queueMail } from './index';
import { deploymentFailedMail, invoiceIssuedMail, upgradeScheduledMail, type Mail } from './templates';

const KIND: Partial<Record<string, NotificationKind>> = {
  'deployment.failed': 'deployment_failed',
  'upgrade.scheduled': 'upgrade_scheduled',
  'invoice.issued': 'invoice_issued',
};

export async function queueEventMails(db: Db, o: { appUrl: string; limit?: number }): Promise<number> {
  const base = o.appUrl.replace(/\/$/, '');
  return db.transaction(async (tx) => {
    const batch = await tx.select().from(events).where(isNull(events.mailedAt)).orderBy(events.id).limit(o.limit ?? 200).for('update', { skipLocked: true });
    let queued = 0;
    for (const e of batch) {
      const kind = KIND[e.type];
      if (!kind) continue;
      // An organization's final invoice is in its deletion receipt (server/offboarding/), mailed to its owners.
      if ((e.data as Record<string, unknown>).final === true) continue;
      const roles = kind === 'invoice_issued' ? (['owner', 'admin'] as const) : (['owner', 'admin', 'member'] as const);
      const people = await tx
        .select({ userId: users.id, email: users.email, orgName: organizations.name, orgSlug: organizations.slug })
        .from(memberships)
        .innerJoin(users, eq(users.id, memberships.userId))
        .innerJoin(organizations, eq(organizations.id, memberships.orgId))
        .leftJoin(notificationPreferences, and(eq(notificationPreferences.userId, users.id), eq(notificationPreferences.kind, kind)))
        .where(and(eq(memberships.orgId, e.orgId), inArray(memberships.role, [...roles]), sql`coalesce(${notificationPreferences.enabled}, true)`));
      const d = e.data as Record<string, unknown>;
      for (const p of people) {
        let mail: Mail;
        if (kind === 'deployment_failed') {
          mail = deploymentFailedMail(p.email, p.userId, { orgName: p.orgName, name: String(d.name ?? 'a deployment'), error: typeof d.error === 'string' ? d.error : null, link: `${base}${consoleHref(p.orgSlug, `/deployments/${e.deploymentId ?? ''}`)}` });
        } else if (kind === 'upgrade_scheduled') {
          mail = upgradeScheduledMail(p.email, p.userId, { orgName: p.orgName, name: String(d.name ?? 'a deployment'), version: typeof d.version === 'string' ? d.version : null, detail: typeof d.message === 'string' ? d.message : null, link: `${base}${consoleHref(p.orgSlug, `/deployments/${e.deploymentId ?? ''}`)}` });
        } else {
          const cents = typeof d.totalCents === 'number' ? d.totalCents : 0;
          const currency = typeof d.currency === 'string' ? d.currency.toUpperCase() : 'USD';
          mail = invoiceIssuedMail(p.email, p.userId, { orgName: p.orgName, month: String(d.periodStart ?? '').slice(0, 7), total: `${(cents / 100).toFixed(2)} ${currency}`, link: `${base}${consoleHref(p.orgSlug, '/billing')}` });
        }
        await queueMail(tx, mail);
        queued++;
      }
    }
    if (batch.length) await tx.update(events).set({ mailedAt: sql`now()` }).where(inArray(events.id, batch.map((e) => e.id)));
    return queued;
  });
}

export async function notificationSettings(db: Db, userId: string) {
  const rows = await db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  const off = new Set(rows.filter((r) => !r.enabled).map((r) => r.kind));
  return { deployment_failed: !off.has('deployment_failed'), upgrade_scheduled: !off.has('upgrade_scheduled'), invoice_issued: !off.has('invoice_issued') };
}

export async function setNotification(db: Db, userId: string, input: { kind: NotificationKind; enabled: boolean }) {
  await db
    .insert(notificationPreferences)
    .values({ userId, kind: input.kind, enabled: input.enabled })
    .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { enabled: input.enabled } });
  return notificationSettings(db, userId);
}
