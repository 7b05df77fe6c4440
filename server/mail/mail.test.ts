/**
 * Mail: SMTP delivery against a local SMTP server started here (smtp-server), the local outbox without SMTP,
 * forgot-password end to end through the outbox (single use, expiring, no user enumeration), invitation mail, and
 * notification mail from events honouring each person's preferences.
 */
import type { AddressInfo } from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailOutbox, passwordResets } from '~/db/schema';
import { emitEvent } from '~/server/events';
import { verifyPassword } from '~/server/auth/password';
import { joinOrg, makeOrg, makeUser } from '~/test/fixtures';
import { callerFor, drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { deliverMail, queueMail, smtpTransport } from './index';
import { queueEventMails } from './notify';

type Got = { from: string; to: string[]; raw: string };

async function smtpServer() {
  const got: Got[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        got.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        callback();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.server.address() as AddressInfo).port;
  return { got, url: `smtp://127.0.0.1:${port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe.each(drivers)('mail (%s)', (driver) => {
  let t: TestDb;
  let smtp: Awaited<ReturnType<typeof smtpServer>>;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    smtp = await smtpServer();
  });
  afterAll(async () => {
    await smtp.close();
    await t.drop();
  });
  const outboxFor = (to: string) => t.db.select().from(mailOutbox).where(eq(mailOutbox.to, to)).orderBy(mailOutbox.createdAt);

  it('sends queued mail over SMTP and marks it sent; a failing server is retried later', async () => {
    await queueMail(t.db, { to: `smtp-${driver}@example.test`, subject: 'Hello over SMTP', text: 'Body text', kind: 'invitation' });
    const sent = await deliverMail(t.db, smtpTransport(smtp.url), { from: 'Plinth <no-reply@plinth.test>' });
    expect(sent).toBeGreaterThanOrEqual(1);
    const mine = smtp.got.find((g) => g.to.includes(`smtp-${driver}@example.test`))!;
    expect(mine.from).toBe('no-reply@plinth.test');
    expect(mine.raw).toContain('Subject: Hello over SMTP');
    expect(mine.raw).toContain('Body text');
    const [row] = await outboxFor(`smtp-${driver}@example.test`);
    expect(row!.sentAt).toBeInstanceOf(Date);

    await queueMail(t.db, { to: `down-${driver}@example.test`, subject: 'Later', text: 'x', kind: 'invitation' });
    await deliverMail(t.db, smtpTransport('smtp://127.0.0.1:1'), { from: 'p@plinth.test' });
    const [failed] = await outboxFor(`down-${driver}@example.test`);
    expect([failed!.sentAt, failed!.attempts]).toEqual([null, 1]);
    expect(failed!.lastError).toBeTruthy();
    expect(failed!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('resets a forgotten password through the local outbox: single use, expiring, no enumeration', async () => {
    const { user } = await makeUser(t.db, `forgot-${driver}@example.test`);
    const anon = callerFor(t.db, null);
    const known = await anon.auth.requestPasswordReset({ email: `  FORGOT-${driver}@example.test ` });
    const unknown = await anon.auth.requestPasswordReset({ email: `nobody-${driver}@example.test` });
    expect(unknown).toEqual(known);
    expect(await outboxFor(`nobody-${driver}@example.test`)).toEqual([]);
    const [mail] = await outboxFor(user.email);
    expect(mail!.kind).toBe('password_reset');
    const token = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    // Only the hash is stored.
    expect(JSON.stringify(await t.db.select().from(passwordResets))).not.toContain(token);

    await expect(anon.auth.resetPassword({ token, newPassword: 'a brand new passphrase' })).resolves.toEqual({ email: user.email });
    const [after] = await t.db.execute(sql`select password_hash from users where id = ${user.id}`).then((r) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Array<{ password_hash: string }>);
    expect(await verifyPassword(after!.password_hash, 'a brand new passphrase')).toBe(true);
    await expect(anon.auth.resetPassword({ token, newPassword: 'another new passphrase' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('already used or has expired') });

    await anon.auth.requestPasswordReset({ email: user.email });
    const second = /\/reset-password\/([A-Za-z0-9_-]+)/.exec((await outboxFor(user.email)).at(-1)!.text)![1]!;
    await t.db.update(passwordResets).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(passwordResets.userId, user.id));
    await expect(anon.auth.resetPassword({ token: second, newPassword: 'yet another passphrase' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('mails an invitation for an address', async () => {
    const { api, orgId } = await makeOrg(t.db, 'Mailers');
    await api.invitations.create({ orgId, role: 'member', email: `invitee-${driver}@example.test` });
    const [mail] = await outboxFor(`invitee-${driver}@example.test`);
    expect(mail!.subject).toContain('invited you to Mailers');
    expect(mail!.text).toMatch(/http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]+/);
  });

  it('mails failed deployments and issued invoices to those concerned, unless they turned it off', async () => {
    const { api, orgId, owner } = await makeOrg(t.db, 'Notified');
    const member = await makeUser(t.db, `member-${driver}@notified.test`);
    await joinOrg(api, orgId, member, 'member');
    const viewer = await makeUser(t.db, `viewer-${driver}@notified.test`);
    await joinOrg(api, orgId, viewer, 'viewer');
    await member.api.auth.setNotification({ kind: 'deployment_failed', enabled: false });
    expect(await member.api.auth.notifications()).toEqual({ deployment_failed: false, upgrade_scheduled: true, invoice_issued: true });
    await t.db.transaction(async (tx) => {
      await emitEvent(tx, { orgId, type: 'deployment.failed', data: { name: 'cache', error: 'no capacity' } });
      await emitEvent(tx, { orgId, type: 'invoice.issued', data: { totalCents: 1234, currency: 'usd', periodStart: '2026-10-01T00:00:00.000Z' } });
    });
    await queueEventMails(t.db, { appUrl: 'http://localhost:3000' });
    await queueEventMails(t.db, { appUrl: 'http://localhost:3000' });
    const kinds = async (email: string) => (await outboxFor(email)).map((m) => m.kind).sort();
    expect(await kinds(owner.user.email)).toEqual(['deployment_failed', 'invoice_issued']);
    expect(await kinds(member.user.email)).toEqual([]);
    expect(await kinds(viewer.user.email)).toEqual([]);
    const invoice = (await outboxFor(owner.user.email)).find((m) => m.kind === 'invoice_issued')!;
    expect(invoice.text).toContain('12.34 USD');
  });
});
