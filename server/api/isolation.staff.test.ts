/**
 * The internal console's roles, enumerated from the router: support may read every staff query and change
 * nothing; customers reach no staff procedure at all. Every staff procedure needs a case below (with real
 * inputs aimed at real rows, so a missing check would really change something), or this file fails.
 */
import type { PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, costRates, creditEntries, deployments, invoices, memberships, operations, organizations, outbox, productVersions, rolloutItems, rollouts, upgradePaths, users } from '~/db/schema';
import { createRollout } from '~/server/services/fleet/rollouts';
import { appRouter } from '~/server/api/root';
import type { Meta } from '~/server/api/trpc';
import { makeDeployment, makeOrg, makeUser, makeVictimOrg, type Api } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';

type Fixture = { orgId: string; deploymentId: string; memberEmail: string; rolloutId: string; rolloutDeploymentId: string };
const fleetPlan = (orgIds: string[]) => ({
  targetVersion: '7.4.1',
  selector: { orgIds },
  noticeDays: 0,
  deadline: null,
  maxDefers: 0,
  canary: { size: 1, unit: 'count' as const },
  wavePercent: 100,
  maxConcurrency: 10,
  failureBudgetPct: 0,
});
const why = { reason: 'Isolation test: this must not happen', confirm: true as const };

/** In the order an admin can run them one after another (the positive control below does). */
const mutations: Record<string, (api: Api, f: Fixture) => Promise<unknown>> = {
  'staff.credits.issue': (api, f) => api.staff.credits.issue({ orgId: f.orgId, amountCents: 5000, currency: 'usd', expiresAt: null, ...why }),
  'staff.fleet.publishVersion': (api) => api.staff.fleet.publishVersion({ version: '7.9.0', moduleRef: 'redis-7.9.0', chartVersion: '21.0.0', notes: '', severity: 'regular', status: 'preview' }),
  'staff.fleet.setVersionStatus': (api) => api.staff.fleet.setVersionStatus({ version: '7.9.0', status: 'available' }),
  'staff.fleet.addPath': (api) => api.staff.fleet.addPath({ fromVersion: '7.2.5', toVersion: '7.9.0' }),
  'staff.fleet.removePath': (api) => api.staff.fleet.removePath({ fromVersion: '7.2.5', toVersion: '7.9.0' }),
  'staff.fleet.createRollout': (api, f) => api.staff.fleet.createRollout(fleetPlan([f.orgId])),
  'staff.fleet.pause': (api, f) => api.staff.fleet.pause({ rolloutId: f.rolloutId, reason: 'isolation test' }),
  'staff.fleet.resume': (api, f) => api.staff.fleet.resume({ rolloutId: f.rolloutId }),
  'staff.fleet.skip': (api, f) => api.staff.fleet.skip({ rolloutId: f.rolloutId, deploymentId: f.rolloutDeploymentId }),
  'staff.fleet.retryFailed': (api, f) => api.staff.fleet.retryFailed({ rolloutId: f.rolloutId }),
  'staff.fleet.cancel': (api, f) => api.staff.fleet.cancel({ rolloutId: f.rolloutId }),
  'staff.deployments.changePlan': (api, f) => api.staff.deployments.changePlan({ orgId: f.orgId, deploymentId: f.deploymentId, plan: 'pro', expectedGeneration: 1, ...why }),
  'staff.deployments.forceReconcile': (api, f) => api.staff.deployments.forceReconcile({ orgId: f.orgId, deploymentId: f.deploymentId, ...why }),
  'staff.deployments.retry': (api, f) => api.staff.deployments.retry({ orgId: f.orgId, deploymentId: f.deploymentId, ...why }),
  'staff.deployments.simulate': (api, f) => api.staff.deployments.simulate({ orgId: f.orgId, deploymentId: f.deploymentId, change: 'drift', ...why }),
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
  'staff.tenants.apiKeys': (api, f) => api.staff.tenants.apiKeys({ orgId: f.orgId }),
  'staff.reconciler.health': (api) => api.staff.reconciler.health(),
  'staff.people.list': (api) => api.staff.people.list(),
  'staff.fleet.versions': (api) => api.staff.fleet.versions(),
  'staff.fleet.rollouts': (api) => api.staff.fleet.rollouts(),
  'staff.fleet.rollout': (api, f) => api.staff.fleet.rollout({ rolloutId: f.rolloutId }),
  'staff.fleet.dryRun': (api, f) => api.staff.fleet.dryRun(fleetPlan([f.orgId])),
  'staff.mail.outbox': (api) => api.staff.mail.outbox(),
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
    return Promise.all([organizations, users, memberships, deployments, operations, auditLog, creditEntries, outbox, invoices, productVersions, upgradePaths, rollouts, rolloutItems, costRates].map(dump));
  };

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const { owner, member, org, deployment: dep } = await makeVictimOrg(t.db);
    customer = owner.api;
    support = (await makeUser(t.db, 'support@plinth.test', 'support')).api;
    const staffAdmin = await makeUser(t.db, 'admin@plinth.test', 'admin');
    admin = staffAdmin.api;
    // A rollout over another tenant, for the rollout actions to aim at.
    const other = await makeOrg(t.db, 'Rolled');
    const otherDep = await makeDeployment(other.api, other.orgId, 'rolled-cache');
    const rollout = await createRollout(t.db, { userId: staffAdmin.user.id, staffRole: 'admin' }, fleetPlan([other.orgId]));
    f = { orgId: org.id, deploymentId: dep.id, memberEmail: member.user.email, rolloutId: rollout.id, rolloutDeploymentId: otherDep.id };
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
