/**
 * The internal console's roles, enumerated from the router: support may read every staff query and change
 * nothing; customers reach no staff procedure at all. Every staff procedure needs a case below (with real
 * inputs aimed at real rows, so a missing check would really change something), or this file fails.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, creditEntries, deployments, invoices, memberships, operations, organizations, outbox, users } from '~/db/schema';
import { appRouter } from '~/server/api/root';
import type { Meta } from '~/server/api/trpc';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';

type Api = Awaited<ReturnType<typeof makeUser>>['api'];
type Fixture = { orgId: string; deploymentId: string; memberEmail: string };
const why = { reason: 'Isolation test: this must not happen', confirm: true as const };

/** In the order an admin can run them one after another (the positive control below does). */
const mutations: Record<string, (api: Api, f: Fixture) => Promise<unknown>> = {
  'admin.credits.issue': (api, f) => api.admin.credits.issue({ orgId: f.orgId, amountCents: 5000, currency: 'usd', expiresAt: null, ...why }),
  'admin.deployments.changePlan': (api, f) => api.admin.deployments.changePlan({ orgId: f.orgId, deploymentId: f.deploymentId, plan: 'pro', expectedGeneration: 1, ...why }),
  'admin.deployments.forceReconcile': (api, f) => api.admin.deployments.forceReconcile({ orgId: f.orgId, deploymentId: f.deploymentId, ...why }),
  'admin.deployments.retry': (api, f) => api.admin.deployments.retry({ orgId: f.orgId, deploymentId: f.deploymentId, ...why }),
  'admin.staff.setRole': (api, f) => api.admin.staff.setRole({ email: f.memberEmail, role: 'admin', ...why }),
  'admin.tenants.suspend': (api, f) => api.admin.tenants.suspend({ orgId: f.orgId, stopDeployments: true, ...why }),
  'admin.tenants.resume': (api, f) => api.admin.tenants.resume({ orgId: f.orgId, ...why }),
  'admin.tenants.grantPaidTrial': (api, f) => api.admin.tenants.grantPaidTrial({ orgId: f.orgId, days: 30, ...why }),
};

const queries: Record<string, (api: Api, f: Fixture) => Promise<unknown>> = {
  'admin.tenants.list': (api) => api.admin.tenants.list({ search: 'victim' }),
  'admin.tenants.get': (api, f) => api.admin.tenants.get({ orgId: f.orgId }),
  'admin.tenants.timeline': (api, f) => api.admin.tenants.timeline({ orgId: f.orgId }),
  'admin.reconciler.health': (api) => api.admin.reconciler.health(),
  'admin.staff.list': (api) => api.admin.staff.list(),
};

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta; type: string } }>);
const staffScoped = procedures.filter(([, p]) => p._def.meta?.scope === 'staff' || p._def.meta?.scope === 'admin');

it('has a case for every staff procedure, and every staff mutation needs the admin role', () => {
  expect(staffScoped.length).toBeGreaterThan(8);
  const missing = staffScoped.filter(([path, p]) => !(p._def.type === 'mutation' ? mutations[path] : queries[path])).map(([path]) => path);
  expect(missing).toEqual([]);
  const mutatingWithoutAdmin = staffScoped.filter(([, p]) => p._def.type === 'mutation' && p._def.meta?.scope !== 'admin').map(([path]) => path);
  expect(mutatingWithoutAdmin).toEqual([]);
});

describe.each(drivers)('staff roles (%s)', (driver) => {
  let t: TestDb;
  let f: Fixture;
  let customer: Api;
  let support: Api;
  let admin: Api;

  /** Every table an admin action writes to, in full. */
  const snapshot = async () => {
    const dump = async (table: PgTable) => JSON.stringify(await t.db.select().from(table));
    return Promise.all([organizations, users, memberships, deployments, operations, auditLog, creditEntries, outbox, invoices].map(dump));
  };

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const owner = await makeUser(t.db, 'owner@victim.test');
    const org = await owner.api.orgs.create({ name: 'Victim' });
    const member = await makeUser(t.db, 'member@victim.test');
    await member.api.invitations.accept({ token: (await owner.api.invitations.create({ orgId: org.id, role: 'member' })).token });
    const dep = await owner.api.deployments.create({ orgId: org.id, name: 'victim-cache', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'victim-create' });
    f = { orgId: org.id, deploymentId: dep.id, memberEmail: member.user.email };
    customer = owner.api;
    support = (await makeUser(t.db, 'support@plinth.test', 'support')).api;
    admin = (await makeUser(t.db, 'admin@plinth.test', 'admin')).api;
  });
  afterAll(() => t.drop());

  it('refuses support on every staff mutation, and nothing changes', async () => {
    const before = await snapshot();
    for (const [path, call] of Object.entries(mutations)) {
      const err = await call(support, f).then(() => null, (e) => e);
      expect({ path, code: err?.code }).toEqual({ path, code: 'FORBIDDEN' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses customers on every staff procedure, even an owner asking about their own org, and nothing changes', async () => {
    const before = await snapshot();
    for (const [path, call] of [...Object.entries(queries), ...Object.entries(mutations)]) {
      const err = await call(customer, f).then(() => null, (e) => e);
      expect({ path, code: err?.code }).toEqual({ path, code: 'FORBIDDEN' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets support read every staff query', async () => {
    for (const [path, call] of Object.entries(queries)) {
      const result = await call(support, f).then((r) => (r ? 'ok' : 'empty'), (e) => e.code);
      expect({ path, result }).toEqual({ path, result: 'ok' });
    }
  });

  it('lets an admin run every case (so the refusals above were not input errors), and the snapshot sees it', async () => {
    const before = await snapshot();
    const outcomes: Record<string, string> = {};
    for (const [path, call] of Object.entries(mutations)) outcomes[path] = await call(admin, f).then(() => 'ok', (e) => e.code);
    // Retry is for failed deployments only; the refusal is about the deployment, not the caller.
    expect(outcomes).toEqual({ ...Object.fromEntries(Object.keys(mutations).map((p) => [p, 'ok'])), 'admin.deployments.retry': 'CONFLICT' });
    expect(await snapshot()).not.toEqual(before);
  });
});
