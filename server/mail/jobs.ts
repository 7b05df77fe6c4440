/** Runs the mail job in every worker: notification mails from events, then (with SMTP_URL) sending what is due. */
import type { Database } from '~/db/client';
import { env } from '../env';
import { logger } from '../observability/logger';
import { deliverMail, smtpTransport, type MailTransport } from './index';
import { queueEventMails } from './notify';

export async function runMailJobs(database: Database, o: { appUrl: string; transport: MailTransport | null; from: string }) {
  await queueEventMails(database.db, { appUrl: o.appUrl });
  if (o.transport) while ((await deliverMail(database.db, o.transport, { from: o.from })) > 0) {}
}

export function startMailJobs(database: Database, intervalMs = env.webhooks.intervalMs): () => void {
  const transport = env.mail.smtpUrl ? smtpTransport(env.mail.smtpUrl) : null;
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runMailJobs(database, { appUrl: env.billing.appUrl, transport, from: env.mail.from });
    } catch (e) {
      logger.error({ err: e }, 'mail job failed; it will run again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
