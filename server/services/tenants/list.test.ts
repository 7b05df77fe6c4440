/** The tenant list (search, filters, sort, pages, aggregates), audited staff reads, and reconciler health. */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, creditEntries, deploymentEvents, deployments, invoices } from '~/db/schema';
import { makeDeployment, makeUser, type Api, type TestUser } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';
import { creditBalanceCents } from '../../billing/credits';


describe.each(drivers)('tenants (%s)', (driver) => {
  let t: TestDb;
  let support: TestUser;
  let admin: Api;
  const orgs: Record<string, { id: string; deploymentIds: string[] }> = {};

  async function tenant(name: string, email: string, plans: string[]) {
    const owner = await makeUser(t.db, email);
    const id = (await owner.api.orgs.create({ name })).id;
    const deploymentIds: string[] = [];
    for (const plan of plans) {
      const d = await makeDeployment(owner.api, id, `${plan}-${deploymentIds.length}`, { plan });
      deploymentIds.push(d.id);
    }
    orgs[name] = { id, deploymentIds };
  }

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    support = await makeUser(t.db, 'support@plinth.test', 'support');
    admin = (await makeUser(t.db, 'admin@plinth.test', 'admin')).api;
    await tenant('Acme Robotics', 'olivia@acme.test', ['starter', 'pro']);
    await tenant('Globex', 'hank@globex.test', ['free']);
    await tenant('Initech 50%_off', 'peter@initech.test', []);
    const acme = orgs['Acme Robotics']!;
    await t.db.update(deployments).set({ phase: 'ready' }).where(eq(deployments.id, acme.deploymentIds[0]!));
    await t.db.update(deployments).set({ phase: 'failed', lastError: 'Terraform: quota exceeded' }).where(eq(deployments.id, acme.deploymentIds[1]!));
    // Credit: a grant partly applied, and an expired grant, which must not count.
    const grant = await admin.staff.credits.issue({ orgId: acme.id, amountCents: 5000, currency: 'usd', expiresAt: null, reason: 'Outage credit', confirm: true });
    await t.db.insert(creditEntries).values([
      { orgId: acme.id, kind: 'apply', amountCents: -1200, reason: 'Applied to invoice', grantId: grant.id },
      { orgId: acme.id, kind: 'grant', amountCents: 900, reason: 'Old promo', expiresAt: new Date(Date.now() - 86_400_000) },
    ]);
    for (const [month, total] of [[8, 1500], [9, 2900]] as const) {
      await t.db.insert(invoices).values({ orgId: acme.id, periodStart: new Date(Date.UTC(2026, month, 1)), periodEnd: new Date(Date.UTC(2026, month + 1, 1)), status: 'paid', subtotalCents: total, totalCents: total, lines: [] });
    }
    await admin.staff.tenants.suspend({ orgId: orgs.Globex!.id, stopDeployments: false, reason: 'Abuse report #12', confirm: true });
  });
  afterAll(() => t.drop());

  const names = (r: { tenants: Array<{ name: string }> }) => r.tenants.map((o) => o.name);

  it('aggregates members, phases, plan revenue, last invoice and credit balance per tenant', async () => {
    const { tenants, total } = await support.api.staff.tenants.list({});
    expect(total).toBe(3);
    const acme = tenants.find((o) => o.name === 'Acme Robotics')!;
    expect(acme).toMatchObject({ members: 1, deployments: 2, phases: { ready: 1, failed: 1 }, mrrCents: 1900 + 9900, creditCents: 3800 });
    expect(acme.lastInvoice).toMatchObject({ totalCents: 2900, status: 'paid' });
    expect(acme.creditCents).toBe(await creditBalanceCents(t.db, orgs['Acme Robotics']!.id));
    expect(tenants.find((o) => o.name === 'Initech 50%_off')).toMatchObject({ deployments: 0, phases: {}, mrrCents: 0, creditCents: 0, lastInvoice: null });
  });

  it('searches by name, slug, member email and deployment id, literally', async () => {
    expect(names(await support.api.staff.tenants.list({ search: 'robot' }))).toEqual(['Acme Robotics']);
    expect(names(await support.api.staff.tenants.list({ search: 'globex' }))).toEqual(['Globex']);
    expect(names(await support.api.staff.tenants.list({ search: 'HANK@globex' }))).toEqual(['Globex']);
    const depId = orgs['Acme Robotics']!.deploymentIds[1]!;
    expect(names(await support.api.staff.tenants.list({ search: depId }))).toEqual(['Acme Robotics']);
    expect(names(await support.api.staff.tenants.list({ search: depId.slice(0, 8) }))).toEqual(['Acme Robotics']);
    // % and _ are not wildcards: only the org whose name contains them matches.
    expect(names(await support.api.staff.tenants.list({ search: '50%_' }))).toEqual(['Initech 50%_off']);
    expect(await support.api.staff.tenants.list({ search: 'no-such-tenant' })).toMatchObject({ tenants: [], total: 0 });
  });

  it('filters by status and plan, sorts, and pages', async () => {
    expect(names(await support.api.staff.tenants.list({ status: 'suspended' }))).toEqual(['Globex']);
    expect(names(await support.api.staff.tenants.list({ plan: 'pro' }))).toEqual(['Acme Robotics']);
    expect(names(await support.api.staff.tenants.list({ sort: 'name' }))).toEqual(['Acme Robotics', 'Globex', 'Initech 50%_off']);
    expect(names(await support.api.staff.tenants.list({ sort: 'newest' }))).toEqual(['Initech 50%_off', 'Globex', 'Acme Robotics']);
    expect(names(await support.api.staff.tenants.list({ sort: 'credit' }))[0]).toBe('Acme Robotics');
    const page2 = await support.api.staff.tenants.list({ sort: 'name', pageSize: 5, page: 1 });
    expect(page2.total).toBe(3);
    const past = await support.api.staff.tenants.list({ sort: 'name', pageSize: 5, page: 9 });
    expect(past).toMatchObject({ tenants: [], total: 3 });
    await expect(support.api.staff.tenants.list({ sort: 'bogus' as 'name' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('audits staff reads of a tenant, once per person per tenant per 10 minutes', async () => {
    const orgId = orgs['Acme Robotics']!.id;
    const views = () => t.db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, 'staff.view_tenant')));
    expect(await views()).toHaveLength(0);
    await support.api.staff.tenants.get({ orgId });
    await support.api.staff.tenants.timeline({ orgId });
    await support.api.staff.tenants.get({ orgId });
    expect((await views()).map((v) => v.actorId)).toEqual([support.user.id]);
    await admin.staff.tenants.get({ orgId });
    expect(await views()).toHaveLength(2);
    // An entry older than the window does not suppress a new one (the log is append-only, so backdate by insert).
    const other = orgs.Globex!.id;
    await t.db.insert(auditLog).values({ actorId: support.user.id, orgId: other, action: 'staff.view_tenant', at: new Date(Date.now() - 11 * 60_000) });
    await support.api.staff.tenants.get({ orgId: other });
    expect(await t.db.select().from(auditLog).where(and(eq(auditLog.orgId, other), eq(auditLog.action, 'staff.view_tenant')))).toHaveLength(2);
    // An unknown tenant is not found, and leaves no trace.
    await expect(support.api.staff.tenants.timeline({ orgId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(support.api.staff.tenants.get({ orgId: randomUUID() })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports the reconciler: queue, oldest due, leases by worker, failures, throughput', async () => {
    const [a, b] = orgs['Acme Robotics']!.deploymentIds as [string, string];
    const [g] = orgs.Globex!.deploymentIds as [string];
    await t.db.update(deployments).set({ nextReconcileAt: sql`now() - interval '5 minutes'`, leaseOwner: null, leaseExpiresAt: null }).where(eq(deployments.id, g));
    await t.db.update(deployments).set({ leaseOwner: 'host-1:42:abcd', leaseExpiresAt: sql`now() + interval '30 seconds'` }).where(eq(deployments.id, a));
    await t.db.update(deployments).set({ nextReconcileAt: null }).where(eq(deployments.id, b));
    await t.db.insert(deploymentEvents).values([
      { deploymentId: a, orgId: orgs['Acme Robotics']!.id, generation: 1, step: 'ready', message: 'Ready at generation 1' },
      { deploymentId: b, orgId: orgs['Acme Robotics']!.id, generation: 1, step: 'failed', level: 'error', message: 'Terraform: quota exceeded' },
    ]);
    const h = await support.api.staff.reconciler.health();
    expect(h.queue.due).toBeGreaterThanOrEqual(1);
    expect(h.queue).toMatchObject({ leased: 1, expiredLeases: 0 });
    // Counted through indexes (health.ts), but the same numbers as counting the rows.
    const live = await t.db.select({ phase: deployments.phase, n: sql<number>`count(*)::int` }).from(deployments).where(sql`${deployments.deletedAt} is null`).groupBy(deployments.phase);
    expect(h.phases).toEqual(Object.fromEntries(live.map((r) => [r.phase, r.n])));
    expect(h.queue.live).toBe(live.reduce((s, r) => s + r.n, 0));
    expect(h.oldestDue[0]).toMatchObject({ id: g, orgName: 'Globex' });
    expect(h.workers).toEqual([expect.objectContaining({ owner: 'host-1:42:abcd', live: true, leases: [expect.objectContaining({ id: a })] })]);
    expect(h.failed).toEqual([expect.objectContaining({ id: b, lastError: 'Terraform: quota exceeded', orgName: 'Acme Robotics' })]);
    expect(h.throughput.minutes).toHaveLength(60);
    expect(h.throughput).toMatchObject({ readyLastHour: 1, errorsLastHour: 1 });
    expect(h.engines).toMatchObject({ infra: expect.any(String), delivery: expect.any(String) });
  });
});
