/**
 * Deleting an organization end to end, on both drivers: the owner's request, the commands refused from then on,
 * the job removing every deployment (app, then infrastructure) through the reconciler, the final invoice with
 * usage to date and credit applied, the organization closed (not listed, keys revoked, webhooks disabled after
 * the last event), the receipt, and the staff timeline. Permissions, typed confirmation, asking twice, a lost
 * lease, and Stripe (meter events, then the subscription cancelled, once).
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, deploymentEvents, deployments, invoices, jobLeases, mailOutbox, organizations, orgOffboardings, outbox, sandboxResources, snapshots, webhookDeliveries, webhookEndpoints } from '~/db/schema';
import { issueCredit } from '~/server/billing/credits';
import { createStripe, deliverOutbox } from '~/server/billing/stripe';
import { monthStart } from '~/server/billing/invoices';
import { authenticateApiKey } from '~/server/services/api-keys';
import { releaseLease } from '~/server/fleet/scheduler';
import { createRollout } from '~/server/services/fleet/rollouts';
import { itemStates, plan } from '~/test/fleet';
import { tenantTimeline } from '~/server/services/tenants/timeline';
import type { Worker } from '~/server/reconciler/worker';
import type { Engines } from '~/server/reconciler/engines/types';
import { runSnapshotRound } from '~/server/snapshots/job';
import { joinOrg, makeDeployment, makeOrg, makeUser, unlimitedQuota } from '~/test/fixtures';
import { drivers, openTestDatabase, testConfig, type TestDb } from '~/test/harness';
import { handleRest } from '~/server/rest/handler';
import { cloudAudit, sandbox, startWorker, waitFor } from '~/test/reconciler';
import { startStripeServer } from '~/test/stripe-server';
import { OFFBOARDING_LEASE, runOffboardingRound, type OffboardingOptions } from './job';

const codeOf = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string; message?: string }) => ({ code: e.code, message: e.message }));

describe.each(drivers)('delete organization (%s)', { timeout: 90_000 }, (driver) => {
  let t: TestDb;
  let worker: Worker;
  let engines: Engines;
  const job: OffboardingOptions = { owner: 'test-offboarding', leaseMs: 10_000, appUrl: 'https://plinth.test', stripe: null };

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    await unlimitedQuota(t.db);
    engines = sandbox(t);
    worker = await startWorker(t, engines);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.drop();
  });

  const offboarding = async (id: string) => (await t.db.select().from(orgOffboardings).where(eq(orgOffboardings.id, id)))[0]!;
  /** Runs the job's rounds, as a worker would, until the deletion is done. */
  // A worker runs the snapshot job too: it deletes the org's snapshots, which the deletion waits for.
  const snapshotRound = () => runSnapshotRound(t.db, engines, { owner: 'test-snapshots', leaseMs: 10_000 });
  const finish = (id: string, o: OffboardingOptions = job) =>
    waitFor('offboarding done', async () => (await runOffboardingRound(t.db, o), await snapshotRound(), offboarding(id)), (r) => r.step === 'done', 60_000);
  const ready = (ids: string[]) =>
    waitFor('ready', () => t.db.select({ phase: deployments.phase }).from(deployments).where(inArray(deployments.id, ids)), (r) => r.every((d) => d.phase === 'ready'));

  it('removes every deployment (app, then infrastructure), writes the final invoice, closes the org and sends the receipt', async () => {
    const { owner, api, orgId } = await makeOrg(t.db, 'Doomed Co');
    const member = await makeUser(t.db, `member-${driver}@doomed.test`);
    await joinOrg(api, orgId, member, 'member');
    const a = await makeDeployment(api, orgId, 'doomed-a');
    const b = await makeDeployment(api, orgId, 'doomed-b');
    await ready([a.id, b.id]);
    // A snapshot of its data: deleting the organization deletes it too, and keeps no final one.
    const snap = await api.deployments.takeSnapshot({ orgId, deploymentId: a.id });
    await snapshotRound();
    expect((await t.db.select().from(snapshots).where(eq(snapshots.id, snap.id)))[0]!.status).toBe('available');
    // Two hours of usage this month (or up to the start of the month), and a credit smaller than the bill.
    const since = new Date(Math.max(monthStart(new Date()).getTime(), Date.now() - 2 * 3600_000));
    await t.db.execute(sql`update billing_segments set at = ${since.toISOString()}::timestamptz where org_id = ${orgId}::uuid and billable`);
    await issueCredit(t.db, { orgId, actorId: owner.user.id, amountCents: 1, currency: 'usd', reason: 'goodwill', expiresAt: null });
    const key = await api.apiKeys.create({ orgId, name: 'CI', role: 'member' });
    const hook = await api.webhooks.create({ orgId, url: 'https://93.184.215.14/doomed', events: ['organization.deleted'] });
    const invite = await api.invitations.create({ orgId, role: 'member' });
    // An upgrade scheduled for next week: it never starts.
    const staff = await makeUser(t.db, `staff-${driver}@plinth.test`, 'admin');
    const rollout = await createRollout(t.db, { userId: staff.user.id, staffRole: 'admin' }, plan({ orgIds: [orgId], noticeDays: 7 }));
    expect(await itemStates(t, rollout.id)).toEqual({ scheduled: 2 });

    const asked = await api.orgs.delete({ orgId, confirmName: 'Doomed Co' });
    expect(asked.created).toBe(true);
    // Asking again is the same deletion.
    expect(await api.orgs.delete({ orgId, confirmName: 'whatever' })).toEqual({ id: asked.id, created: false });
    expect((await api.orgs.mine()).find((o) => o.id === orgId)).toMatchObject({ deleting: true });

    // From now on nothing in the org changes, with the reason.
    const refused = [
      await codeOf(makeDeployment(api, orgId, 'sneaky')),
      await codeOf(api.deployments.update({ orgId, deploymentId: a.id, expectedGeneration: 1, memoryMb: 512 })),
      await codeOf(api.deployments.delete({ orgId, deploymentId: a.id, confirmName: 'doomed-a' })),
      await codeOf(api.orgs.rename({ orgId, name: 'Saved' })),
      await codeOf(api.invitations.create({ orgId, role: 'member' })),
    ];
    refused.push(await codeOf(makeUser(t.db, `late-${driver}@doomed.test`).then((u) => u.api.invitations.accept({ token: invite.token }))));
    for (const r of refused) expect(r).toEqual({ code: 'CONFLICT', message: expect.stringContaining('is being deleted') });
    expect(await itemStates(t, rollout.id)).toEqual({ skipped: 2 });
    await expect(staff.api.staff.tenants.suspend({ orgId, reason: 'too late now', confirm: true, stopDeployments: true })).rejects.toMatchObject({ code: 'CONFLICT' });
    // The REST API (and so the CLI) answers 409 with the same words; reads still work.
    const rest = (method: string, path: string, body?: unknown) =>
      handleRest(new Request(`http://127.0.0.1/api/v1/orgs/${orgId}${path}`, { method, headers: { authorization: `Bearer ${key.key}`, 'content-type': 'application/json', 'idempotency-key': 'offboard-rest' }, body: body ? JSON.stringify(body) : undefined }), { db: t.db, config: testConfig, ip: '198.51.100.30' });
    const created = await rest('POST', '/deployments', { name: 'via-rest', plan: 'starter', region: 'eu-west-1', version: '7.2.5' });
    expect(created.status).toBe(409);
    expect(JSON.stringify(await created.json())).toContain('is being deleted');
    expect((await rest('GET', '/deployments')).status).toBe(200);
    expect((await api.orgs.deletion({ orgId }))?.step).toBe('deployments');

    const done = await finish(asked.id);

    // Every deployment deleted, its app removed before its infrastructure, nothing left in the sandbox.
    const ds = await t.db.select().from(deployments).where(eq(deployments.orgId, orgId));
    expect(ds.map((d) => d.phase)).toEqual(['deleted', 'deleted']);
    for (const d of ds) {
      const steps = (await t.db.select({ step: deploymentEvents.step }).from(deploymentEvents).where(eq(deploymentEvents.deploymentId, d.id)).orderBy(asc(deploymentEvents.id))).map((e) => e.step);
      expect(steps.lastIndexOf('app.remove')).toBeGreaterThan(-1);
      expect(steps.lastIndexOf('app.remove')).toBeLessThan(steps.indexOf('infra.destroy'));
    }
    const live = await t.db.select().from(sandboxResources).where(and(inArray(sandboxResources.deploymentId, ds.map((d) => d.id)), sql`${sandboxResources.destroyedAt} is null`));
    expect(live).toEqual([]);
    expect(await cloudAudit(t)).toEqual({ orphaned: 0, createdTwice: 0 });
    // Every snapshot of the org is gone (the manual one, and the daily ones the snapshot rounds took), copies included.
    const orgSnapshots = await t.db.select().from(snapshots).where(eq(snapshots.orgId, orgId));
    expect(orgSnapshots.find((x) => x.id === snap.id)?.status).toBe('deleted');
    expect(orgSnapshots.filter((x) => x.status !== 'deleted' && x.status !== 'failed')).toEqual([]);
    expect(orgSnapshots.some((x) => x.kind === 'final')).toBe(false);
    expect(await t.db.select().from(sandboxResources).where(and(inArray(sandboxResources.deploymentId, orgSnapshots.map((x) => x.id)), sql`${sandboxResources.destroyedAt} is null`))).toEqual([]);

    // One final invoice for usage to date, the credit applied.
    const invs = await t.db.select().from(invoices).where(and(eq(invoices.orgId, orgId), eq(invoices.periodStart, monthStart(new Date(done.requestedAt)))));
    expect(invs).toHaveLength(1);
    const inv = invs[0]!;
    expect(done.invoiceId).toBe(inv.id);
    expect(inv.subtotalCents).toBeGreaterThan(0);
    expect(inv.lines.some((l) => l.kind === 'usage' || l.kind === 'plan')).toBe(true);
    expect(inv.creditsAppliedCents).toBe(1);
    expect(inv.totalCents).toBe(inv.subtotalCents - 1);
    expect(inv.periodEnd.getTime()).toBeLessThanOrEqual(Date.now());

    // Closed: not listed, its URLs and procedures gone for members, keys revoked, webhooks disabled after the last event.
    const [org] = await t.db.select().from(organizations).where(eq(organizations.id, orgId));
    expect(org!.closedAt).not.toBeNull();
    expect((await api.orgs.mine()).map((o) => o.id)).not.toContain(orgId);
    expect(await codeOf(member.api.deployments.list({ orgId }))).toMatchObject({ code: 'NOT_FOUND' });
    await expect(authenticateApiKey(t.db, key.key, '203.0.113.9')).rejects.toThrow(/revoked/);
    expect((await rest('GET', '/deployments')).status).toBe(401);
    const [endpoint] = await t.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, hook.id));
    expect(endpoint!.disabledAt).not.toBeNull();
    const deliveries = await t.db.select({ type: webhookDeliveries.type }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, hook.id));
    expect(deliveries.map((d) => d.type)).toEqual(['organization.deleted']);

    // The receipt: for the owners, with every deployment and when its parts were removed.
    const receipt = await api.orgs.deletionReceipt({ offboardingId: asked.id });
    expect(receipt.step).toBe('done');
    const e = receipt.evidence;
    expect(e.deployments!.map((d) => d.name).sort()).toEqual(['doomed-a', 'doomed-b']);
    for (const d of e.deployments!) {
      expect(d.appRemovedAt && d.infraRemovedAt && d.deletedAt).toBeTruthy();
      expect(new Date(d.appRemovedAt!).getTime()).toBeLessThanOrEqual(new Date(d.infraRemovedAt!).getTime());
    }
    expect(e.leftInEngines).toBe(0);
    expect(e.invoice).toMatchObject({ id: inv.id, totalCents: inv.totalCents, creditsAppliedCents: 1 });
    expect(e).toMatchObject({ closedAt: expect.any(String), completedAt: expect.any(String), apiKeysRevoked: 1, webhooksDisabled: 1, requestedBy: { email: owner.user.email } });
    expect(await api.orgs.deletions()).toEqual([expect.objectContaining({ id: asked.id, orgName: 'Doomed Co' })]);
    expect(await codeOf(member.api.orgs.deletionReceipt({ offboardingId: asked.id }))).toMatchObject({ code: 'NOT_FOUND' });
    const stranger = await makeUser(t.db, `stranger-${driver}@other.test`);
    expect(await codeOf(stranger.api.orgs.deletionReceipt({ offboardingId: asked.id }))).toMatchObject({ code: 'NOT_FOUND' });
    const mails = await t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'org_deleted'));
    expect(mails.map((m) => m.to)).toEqual([owner.user.email]);
    expect(mails[0]!.text).toContain(`https://plinth.test/offboardings/${asked.id}`);
    expect(mails[0]!.text).toContain('doomed-a');
    // The final invoice is in the receipt, so no separate invoice mail goes out for it.
    await (await import('~/server/mail/notify')).queueEventMails(t.db, { appUrl: 'https://plinth.test' });
    expect(await t.db.select().from(mailOutbox).where(eq(mailOutbox.kind, 'invoice_issued'))).toEqual([]);

    // Staff see each step in the tenant's timeline.
    const timeline = await tenantTimeline(t.db, orgId, { limit: 500 });
    const actions = timeline.entries.map((x) => x.action);
    for (const a of ['org.delete_request', 'org.delete_deployments', 'org.delete_deployments_removed', 'org.delete_invoice', 'org.close', 'org.delete_complete']) expect(actions).toContain(a);
    expect(timeline.entries.find((x) => x.action === 'org.close')!.title).toBe('Organization closed');

    // A closed org no longer counts against the owner's organizations; running the job again changes nothing.
    await expect(api.orgs.create({ name: 'Fresh Start' })).resolves.toMatchObject({ name: 'Fresh Start' });
    await runOffboardingRound(t.db, job);
    expect(await t.db.select().from(invoices).where(eq(invoices.orgId, orgId))).toHaveLength(invs.length);
    expect((await t.db.select().from(auditLog).where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, 'org.delete_complete'))))).toHaveLength(1);
  });

  it('is for owners only, with the name typed exactly', async () => {
    const { api, orgId } = await makeOrg(t.db, 'Kept Co');
    for (const role of ['admin', 'member', 'viewer'] as const) {
      const u = await makeUser(t.db, `${role}-${driver}@kept.test`);
      await joinOrg(api, orgId, u, role);
      const err = await codeOf(u.api.orgs.delete({ orgId, confirmName: 'Kept Co' }));
      expect(err).toEqual({ code: 'FORBIDDEN', message: expect.stringContaining(`Only an owner can delete the organization; you are ${role === 'admin' ? 'an' : 'a'} ${role}`) });
    }
    expect(await codeOf(api.orgs.delete({ orgId, confirmName: 'kept co' }))).toEqual({ code: 'BAD_REQUEST', message: expect.stringContaining('"Kept Co"') });
    expect(await codeOf(api.orgs.delete({ orgId, confirmName: 'Kept\u0000Co' }))).toMatchObject({ code: 'BAD_REQUEST' });
    expect(await api.orgs.deletion({ orgId })).toBeNull();
    expect((await t.db.select().from(organizations).where(eq(organizations.id, orgId)))[0]!.deletionRequestedAt).toBeNull();
  });

  it('does nothing in a worker that lost the lease, and the new holder finishes', async () => {
    const { api, orgId } = await makeOrg(t.db, 'Handover Co');
    const d = await makeDeployment(api, orgId, 'handover');
    await ready([d.id]);
    const { id } = await api.orgs.delete({ orgId, confirmName: 'Handover Co' });
    // Another worker holds the lease: this one claims nothing and writes nothing.
    await t.db.insert(jobLeases).values({ name: OFFBOARDING_LEASE, owner: 'someone-else', expiresAt: sql`now() + interval '1 minute'` }).onConflictDoUpdate({ target: jobLeases.name, set: { owner: 'someone-else', expiresAt: sql`now() + interval '1 minute'` } });
    expect(await runOffboardingRound(t.db, job)).toMatchObject({ leader: false });
    expect((await offboarding(id)).deploymentsMarkedAt).toBeNull();
    // Its lease runs out (the worker died): the next one takes over and finishes.
    await t.db.update(jobLeases).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(jobLeases.name, OFFBOARDING_LEASE));
    const done = await finish(id, { ...job, owner: 'next-worker' });
    expect(done.completedAt).not.toBeNull();
    await releaseLease(t.db, OFFBOARDING_LEASE, 'next-worker'); // the other tests run as `job.owner`
    const deletes = await t.db.select().from(deploymentEvents).where(and(eq(deploymentEvents.deploymentId, d.id), eq(deploymentEvents.step, 'deleted')));
    expect(deletes.length).toBeGreaterThanOrEqual(1);
  });

  it('races creates against the request: each create lands before it (and is removed) or is refused', async () => {
    const { api, orgId } = await makeOrg(t.db, 'Racy Co');
    const creates = Array.from({ length: 6 }, (_, i) => makeDeployment(api, orgId, `racy-${i}`).then((d) => d.id, (e: { code?: string }) => e.code));
    const asked = api.orgs.delete({ orgId, confirmName: 'Racy Co' });
    const outcomes = await Promise.all(creates);
    const { id } = await asked;

    expect(outcomes.every((o) => o === 'CONFLICT' || /^[0-9a-f-]{36}$/.test(String(o)))).toBe(true);
    const done = await finish(id);

    const made = outcomes.filter((o) => o !== 'CONFLICT');
    expect(done.evidence.deployments!.map((d) => d.id).sort()).toEqual([...made].sort());
    const left = await t.db.select().from(deployments).where(and(eq(deployments.orgId, orgId), sql`${deployments.phase} <> 'deleted'`));
    expect(left).toEqual([]);
  });

  it('sends the last usage to Stripe, then cancels the subscription, once', async () => {
    const fake = await startStripeServer();
    try {
      const stripe = createStripe({ secretKey: 'sk_test_123', webhookSecret: null, apiBase: fake.url, prices: { starter: 'price_starter', pro: null, enterprise: null }, meteredPrice: 'price_metered' })!;
      const { api, orgId } = await makeOrg(t.db, 'Paying Co');
      await t.db.update(organizations).set({ stripeCustomerId: `cus_${driver}`, stripeSubscriptionId: `sub_${driver}`, paymentStatus: 'active' }).where(eq(organizations.id, orgId));
      const d = await makeDeployment(api, orgId, 'paying');
      await ready([d.id]);
      await t.db.execute(sql`update billing_segments set at = now() - interval '90 minutes' where org_id = ${orgId}::uuid and billable`);
      const { id } = await api.orgs.delete({ orgId, confirmName: 'Paying Co' });
      const done = await finish(id, { ...job, stripe });
      expect(done.evidence.subscriptionCancelled).toBe(true);
      const rows = await t.db.select().from(outbox).where(eq(outbox.orgId, orgId)).orderBy(asc(outbox.id));
      expect(rows.at(-1)).toMatchObject({ kind: 'stripe.cancel_subscription', idempotencyKey: `offboarding-cancel-${id}` });
      expect(rows.filter((r) => r.kind === 'stripe.meter').length).toBeGreaterThan(0);
      await deliverOutbox(t.db, stripe, 500);
      const cancels = fake.requests.filter((r) => r.method === 'DELETE');
      expect(cancels).toEqual([expect.objectContaining({ path: `/v1/subscriptions/sub_${driver}`, idempotencyKey: `offboarding-cancel-${id}`, query: expect.objectContaining({ invoice_now: 'true' }) })]);
      const lastMeter = fake.requests.findLastIndex((r) => r.path === '/v1/billing/meter_events');
      expect(lastMeter).toBeGreaterThan(-1);
      expect(lastMeter).toBeLessThan(fake.requests.findIndex((r) => r.method === 'DELETE'));
    } finally {
      await fake.close();
    }
  });
});
