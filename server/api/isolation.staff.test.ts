/**
 * The internal console's roles, enumerated from the router: support may read every staff query and change
 * nothing; customers reach no staff procedure at all. Every staff procedure needs a case below (with real
 * inputs aimed at real rows, so a missing check would really change something), or this file fails.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, costRates, creditEntries, deployments, invoices, memberships, operations, organizations, outbox, users } from '~/db/schema';
import { appRouter } from '~/server/api/root';
import type { Meta } from '~/server/api/trpc';
import { makeUser, makeVictimOrg, type Api } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';

type Fixture = { orgId: string; deploymentId: string; memberEmail: string };
const why = { reason: 'Isolation test: this must not happen', confirm: true as const };

/** In the order an admin can run them one after another (the positive control below does). */
const mutations: Record<string, (api: Api, f: Fixture) => Promise<unknown>> = {
  'staff.credits.issue': (api, f) => api.staff.credits.issue({ orgId: f.orgId, amountCents: 5000, currency: 'usd', expiresAt: null, ...why }),
  'staff.deployments.changePlan': (api, f) => api.staff.deployments.changePlan({ orgId: f.orgId, deploymentId: f.deploymentId, plan: 'pro', expectedGeneration: 1, ...why }),
  'staff.deployments.forceReconcile': (api, f) => api.staff.deployments.forceReconcile({ orgId: f.orgId, deploymentId: f.deploymentId, ...why }),
  'staff.deployments.retry': (api, f) => api.staff.deployments.retry({ orgId: f.orgId, deploymentId: f.deploymentId, ...why }),
  'staff.people.setRole': (api, f) => api.staff.people.setRole({ email: f.memberEmail, role: 'admin', ...why }),
  'staff.tenants.suspend': (api, f) => api.staff.tenants.suspend({ orgId: f.orgId, stopDeployments: true, ...why }),
  'staff.tenants.resume': (api, f) => api.staff.tenants.resume({ orgId: f.orgId, ...why }),
  'staff.tenants.grantPaidTrial': (api, f) => api.staff.tenants.grantPaidTrial({ orgId: f.orgId, days: 30, ...why }),
  'staff.economics.setCostRate': (api) =>
    api.staff.economics.setCostRate({ planSlug: 'starter', region: 'eu-west-1', computeCentiCentsPerHour: 1, storageCentiCentsPerGbHour: 1, overheadCentiCentsPerHour: 1, ...why }),
};

const queries: Record<string, (api: Api, f: Fixture) => Promise<unknown>> = {
  'staff.tenants.list': (api) => api.staff.tenants.list({ search: 'victim' }),
  'staff.tenants.get': (api, f) => api.staff.tenants.get({ orgId: f.orgId }),
  'staff.tenants.timeline': (api, f) => api.staff.tenants.timeline({ orgId: f.orgId }),
  'staff.reconciler.health': (api) => api.staff.reconciler.health(),
  'staff.people.list': (api) => api.staff.people.list(),
  'staff.economics.report': (api) => api.staff.economics.report({ period: { from: '2026-01-01', to: '2026-12-31' } }),
  'staff.economics.tenant': (api, f) => api.staff.economics.tenant({ orgId: f.orgId, period: { from: '2026-01-01', to: '2026-12-31' } }),
  'staff.economics.costModel': (api) => api.staff.economics.costModel(),
};

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta; type: string } }>);
const staffScoped = procedures.filter(([, p]) => p._def.meta?.scope === 'staff' || p._def.meta?.scope === 'staffAdmin');

it('has a case for every staff procedure, and every staff mutation needs the admin role', () => {
  expect(staffScoped.length).toBeGreaterThan(8);
  const missing = staffScoped.filter(([path, p]) => !(p._def.type === 'mutation' ? mutations[path] : queries[path])).map(([path]) => path);
  expect(missing).toEqual([]);
  const mutatingWithoutAdmin = staffScoped.filter(([, p]) => p._def.type === 'mutation' && p._def.meta?.scope !== 'staffAdmin').map(([path]) => path);
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
    return Promise.all([organizations, users, memberships, deployments, operations, auditLog, creditEntries, outbox, invoices, costRates].map(dump));
  };

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const { owner, member, org, deployment: dep } = await makeVictimOrg(t.db);
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
    expect(outcomes).toEqual({ ...Object.fromEntries(Object.keys(mutations).map((p) => [p, 'ok'])), 'staff.deployments.retry': 'CONFLICT' });
    expect(await snapshot()).not.toEqual(before);
  });
});
