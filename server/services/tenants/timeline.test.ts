/**
 * A scripted tenant history, from sign-up to resume, read back through the staff API: every source appears
 * (audit, operations, reconciler events, invoices, payments, credits, webhooks, staff reads), newest first,
 * with who and why, and the kind/actor filters and the cursor give the same entries as the whole list.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoices, stripeEvents } from '~/db/schema';
import { makeUser, type Api } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { sandbox, startWorker, waitFor } from '~/test/reconciler';

const why = (reason: string) => ({ reason, confirm: true as const });

describe.each(drivers)('tenant timeline (%s)', (driver) => {
  let t: TestDb;
  let orgId: string;
  let support: Api;
  let emails: Record<'owner' | 'dev' | 'admin' | 'support', string>;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const owner = await makeUser(t.db, 'olivia@northwind.test');
    const dev = await makeUser(t.db, 'dev@northwind.test');
    const admin = await makeUser(t.db, 'ada@plinth.test', 'admin');
    const sup = await makeUser(t.db, 'sam@plinth.test', 'support');
    support = sup.api;
    emails = { owner: owner.user.email, dev: dev.user.email, admin: admin.user.email, support: sup.user.email };

    orgId = (await owner.api.orgs.create({ name: 'Northwind' })).id;
    const inv = await owner.api.invitations.create({ orgId, role: 'member', email: dev.user.email });
    await dev.api.invitations.accept({ token: inv.token });
    const { id } = await owner.api.deployments.create({ orgId, name: 'orders-cache', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'northwind-1' });
    const worker = await startWorker(t, sandbox(t));
    await waitFor('ready', () => owner.api.deployments.get({ orgId, deploymentId: id }), (d) => d.phase === 'ready');
    await worker.stop();

    await admin.api.staff.credits.issue({ orgId, amountCents: 5000, currency: 'usd', expiresAt: null, ...why('Apology for the March 3 outage') });
    // Billing rows as the billing jobs and the Stripe webhook write them.
    const start = new Date(Date.UTC(2026, 9, 1));
    const [invoice] = await t.db
      .insert(invoices)
      .values({ orgId, periodStart: start, periodEnd: new Date(Date.UTC(2026, 10, 1)), status: 'open', subtotalCents: 1900, totalCents: 1900, lines: [] })
      .returning();
    await t.db.execute(sql`update invoices set status = 'paid', paid_at = now() where id = ${invoice!.id}`);
    await t.db.insert(stripeEvents).values({ id: 'evt_test_paid', type: 'invoice.paid', orgId });

    await admin.api.staff.tenants.suspend({ orgId, stopDeployments: false, ...why('Chargeback on card, ticket #77') });
    await expect(owner.api.deployments.delete({ orgId, deploymentId: id, confirmName: 'orders-cache' })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await expect(owner.api.deployments.retry({ orgId, deploymentId: id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    await admin.api.staff.deployments.changePlan({ orgId, deploymentId: id, plan: 'pro', expectedGeneration: 1, ...why('Agreed upgrade, ticket #78') });
    await admin.api.staff.tenants.resume({ orgId, ...why('Chargeback resolved') });
    // Support reads twice in a row: one audited view, not two.
    await support.staff.tenants.get({ orgId });
    await support.staff.tenants.get({ orgId });
  });
  afterAll(() => t.drop());

  it('shows the whole history, newest first, each with who and why', async () => {
    const { entries, nextCursor } = await support.staff.tenants.timeline({ orgId, limit: 500 });
    expect(nextCursor).toBeNull();
    const times = entries.map((e) => new Date(e.at).getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect(entries.map((e) => e.action).reverse()).toEqual([
      'org.create',
      'invitation.create',
      'invitation.accept',
      'operation.create',
      'event.provisioning',
      'event.infra.apply',
      'event.app.sync',
      'event.ready',
      'credit.grant',
      'invoice.created',
      'invoice.paid',
      'stripe.invoice.paid',
      'org.suspend',
      'operation.update',
      'org.resume',
      'staff.view_tenant',
    ]);
    const by = (action: string) => entries.find((e) => e.action === action)!;
    expect(by('org.create')).toMatchObject({ kind: 'audit', actor: { email: emails.owner, staff: false }, title: 'Organization created' });
    expect(by('invitation.accept').actor?.email).toBe(emails.dev);
    expect(by('operation.create')).toMatchObject({ kind: 'operation', actor: { email: emails.owner }, deployment: { name: 'orders-cache' } });
    expect(by('event.ready')).toMatchObject({ kind: 'reconciler', actor: null });
    expect(by('credit.grant')).toMatchObject({ kind: 'billing', actor: { email: emails.admin, staff: true }, reason: 'Apology for the March 3 outage', title: 'Credit of $50.00 granted' });
    expect(by('invoice.created').title).toBe('Invoice for October 2026: $19.00');
    expect(by('org.suspend')).toMatchObject({ kind: 'audit', actor: { email: emails.admin }, reason: 'Chargeback on card, ticket #77' });
    // The plan change's audit row is folded into its operation, which carries the reason.
    expect(by('operation.update')).toMatchObject({ actor: { email: emails.admin }, reason: 'Agreed upgrade, ticket #78', title: 'Change plan starter → pro' });
    expect(by('staff.view_tenant')).toMatchObject({ kind: 'access', actor: { email: emails.support, staff: true } });
  });

  it('filters by kind and by actor, and lists the actors', async () => {
    const billing = await support.staff.tenants.timeline({ orgId, kinds: ['billing'] });
    expect(billing.entries.map((e) => e.action).sort()).toEqual(['credit.grant', 'invoice.created', 'invoice.paid', 'stripe.invoice.paid']);

    const { actors } = await support.staff.tenants.timeline({ orgId });
    expect(actors!.map((a) => a.email)).toEqual([emails.admin, emails.dev, emails.owner, emails.support]);
    const adminId = actors!.find((a) => a.email === emails.admin)!.id;
    const byAdmin = await support.staff.tenants.timeline({ orgId, actor: adminId });
    expect(byAdmin.entries.map((e) => e.action).reverse()).toEqual(['credit.grant', 'org.suspend', 'operation.update', 'org.resume']);

    const system = await support.staff.tenants.timeline({ orgId, actor: 'system', kinds: ['reconciler', 'billing'] });
    expect(system.entries.every((e) => e.actor === null)).toBe(true);
    expect(system.entries).toHaveLength(4 + 3);
  });

  it('pages with a cursor through exactly the same entries', async () => {
    const all = await support.staff.tenants.timeline({ orgId, limit: 500 });
    const paged: string[] = [];
    let cursor: { at: string; key: string } | undefined;
    for (let i = 0; i < 20; i++) {
      const page = await support.staff.tenants.timeline({ orgId, limit: 3, cursor });
      paged.push(...page.entries.map((e) => e.key));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(paged).toEqual(all.entries.map((e) => e.key));
  });
});
