/**
 * Mail through an outbox: `queueMail` inserts into `mail_outbox` in the caller's transaction; the mail job sends
 * due rows over SMTP (SMTP_URL, nodemailer) with retries. Without SMTP_URL nothing is sent and the rows stay for
 * staff to read in the internal console, so embedded mode (and a forgotten password) still works.
 */
import { and, desc, eq, isNull, lte, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Db, DbOrTx } from '~/db/client';
import { mailOutbox } from '~/db/schema';
import type { Mail } from './templates';

export type MailTransport = { send: (m: { from: string; to: string; subject: string; text: string }) => Promise<void> };

export async function queueMail(tx: DbOrTx, mail: Mail): Promise<void> {
  await tx.insert(mailOutbox).values({ to: mail.to, subject: mail.subject, text: mail.text, kind: mail.kind, userId: mail.userId ?? null });
}

/** An SMTP transport from a URL such as smtp://user:pass@host:587 or smtps://host:465. */
export function smtpTransport(url: string): MailTransport {
  const t: Transporter = nodemailer.createTransport(url);
  return { send: async (m) => void (await t.sendMail(m)) };
}

const MAX_ATTEMPTS = 8;

/**
 * Sends what is due, claiming rows FOR UPDATE SKIP LOCKED with a lease (nextAttemptAt pushed a minute ahead), so
 * many workers can run it; a failure is retried with backoff, up to MAX_ATTEMPTS.
 */
export async function deliverMail(db: Db, transport: MailTransport, o: { from: string; batch?: number }): Promise<number> {
  const due = db
    .select({ id: mailOutbox.id })
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.sentAt), lte(mailOutbox.nextAttemptAt, sql`now()`), sql`${mailOutbox.attempts} < ${MAX_ATTEMPTS}`))
    .orderBy(mailOutbox.nextAttemptAt)
    .limit(o.batch ?? 20)
    .for('update', { skipLocked: true });
  const claimed = await db
    .update(mailOutbox)
    .set({ attempts: sql`${mailOutbox.attempts} + 1`, nextAttemptAt: sql`now() + interval '1 minute'` })
    .where(sql`${mailOutbox.id} in (${due})`)
    .returning();
  for (const m of claimed) {
    try {
      await transport.send({ from: o.from, to: m.to, subject: m.subject, text: m.text });
      await db.update(mailOutbox).set({ sentAt: sql`now()`, lastError: null }).where(eq(mailOutbox.id, m.id));
    } catch (e) {
      const backoffS = Math.min(3600, 30 * 2 ** (m.attempts - 1));
      await db
        .update(mailOutbox)
        .set({ lastError: (e as Error).message.slice(0, 500), nextAttemptAt: sql`now() + make_interval(secs => ${backoffS})` })
        .where(eq(mailOutbox.id, m.id));
    }
  }
  return claimed.length;
}

/** The local outbox for staff: newest first. */
export async function listOutbox(db: Db, limit = 100) {
  return db.select().from(mailOutbox).orderBy(desc(mailOutbox.createdAt)).limit(limit);
}
