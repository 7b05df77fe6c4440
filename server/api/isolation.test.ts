/**
 * Tenant isolation, enumerated from the router itself: every org-scoped procedure must have a cross-tenant case
 * below, so adding one without proving it refuses outsiders fails this file.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, snapshots } from '~/db/schema';
import { appRouter } from '~/server/api/root';
import type { Meta } from '~/server/api/trpc';
import { joinOrg, makeUser, makeVictimOrg, type Api } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';

type Fixture = { orgId: string; memberUserId: string; invitationId: string; deploymentId: string; apiKeyId: string; webhookId: string; deliveryId: string; snapshotId: string };

/** One call per org-scoped procedure, aimed at the org and objects in `f`. */
const cases: Record<string, (api: Api, f: Fixture) => Promise<unknown>> = {
  'orgs.get': (api, f) => api.orgs.get({ orgId: f.orgId }),
  'orgs.activity': (api, f) => api.orgs.activity({ orgId: f.orgId }),
  'orgs.rename': (api, f) => api.orgs.rename({ orgId: f.orgId, name: 'Taken over' }),
  'orgs.delete': (api, f) => api.orgs.delete({ orgId: f.orgId, confirmName: 'Victim' }),
  'orgs.deletion': (api, f) => api.orgs.deletion({ orgId: f.orgId }),
  'members.list': (api, f) => api.members.list({ orgId: f.orgId }),
  'members.changeRole': (api, f) => api.members.changeRole({ orgId: f.orgId, userId: f.memberUserId, role: 'owner' }),
  'members.remove': (api, f) => api.members.remove({ orgId: f.orgId, userId: f.memberUserId }),
  'members.leave': (api, f) => api.members.leave({ orgId: f.orgId }),
  'invitations.list': (api, f) => api.invitations.list({ orgId: f.orgId }),
  'invitations.create': (api, f) => api.invitations.create({ orgId: f.orgId, role: 'owner' }),
  'invitations.revoke': (api, f) => api.invitations.revoke({ orgId: f.orgId, invitationId: f.invitationId }),
  'deployments.list': (api, f) => api.deployments.list({ orgId: f.orgId }),
  'deployments.get': (api, f) => api.deployments.get({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'deployments.credentials': (api, f) => api.deployments.credentials({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'deployments.create': (api, f) =>
    api.deployments.create({ orgId: f.orgId, name: 'intruder', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'isolation-create' }),
  'deployments.update': (api, f) => api.deployments.update({ orgId: f.orgId, deploymentId: f.deploymentId, expectedGeneration: 1, memoryMb: 512 }),
  'deployments.upgrade': (api, f) => api.deployments.upgrade({ orgId: f.orgId, deploymentId: f.deploymentId, expectedGeneration: 1, version: '7.4.1' }),
  'deployments.delete': (api, f) => api.deployments.delete({ orgId: f.orgId, deploymentId: f.deploymentId, confirmName: 'victim-cache' }),
  'deployments.retry': (api, f) => api.deployments.retry({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'fleet.window': (api, f) => api.fleet.window({ orgId: f.orgId }),
  'fleet.setWindow': (api, f) => api.fleet.setWindow({ orgId: f.orgId, window: { days: [1], start: '02:00', durationMinutes: 60, timeZone: 'UTC' } }),
  'fleet.setDeploymentWindow': (api, f) =>
    api.fleet.setDeploymentWindow({ orgId: f.orgId, deploymentId: f.deploymentId, window: { days: [1], start: '02:00', durationMinutes: 60, timeZone: 'UTC' } }),
  'fleet.upgrades': (api, f) => api.fleet.upgrades({ orgId: f.orgId }),
  'fleet.deploymentUpgrade': (api, f) => api.fleet.deploymentUpgrade({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'fleet.defer': (api, f) => api.fleet.defer({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'fleet.upgradeNow': (api, f) => api.fleet.upgradeNow({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'apiKeys.list': (api, f) => api.apiKeys.list({ orgId: f.orgId }),
  'apiKeys.create': (api, f) => api.apiKeys.create({ orgId: f.orgId, name: 'intruder', role: 'admin' }),
  'apiKeys.revoke': (api, f) => api.apiKeys.revoke({ orgId: f.orgId, keyId: f.apiKeyId }),
  'webhooks.list': (api, f) => api.webhooks.list({ orgId: f.orgId }),
  'webhooks.create': (api, f) => api.webhooks.create({ orgId: f.orgId, url: 'https://93.184.215.14/hook', events: ['deployment.ready'] }),
  'webhooks.delete': (api, f) => api.webhooks.delete({ orgId: f.orgId, webhookId: f.webhookId }),
  'webhooks.test': (api, f) => api.webhooks.test({ orgId: f.orgId, webhookId: f.webhookId }),
  'webhooks.redeliver': (api, f) => api.webhooks.redeliver({ orgId: f.orgId, deliveryId: f.deliveryId }),
  'webhooks.deliveries': (api, f) => api.webhooks.deliveries({ orgId: f.orgId, webhookId: f.webhookId }),
  'deployments.metrics': (api, f) => api.deployments.metrics({ orgId: f.orgId, deploymentId: f.deploymentId, range: '1h' }),
  'deployments.stop': (api, f) => api.deployments.stop({ orgId: f.orgId, deploymentId: f.deploymentId, expectedGeneration: 1 }),
  'deployments.start': (api, f) => api.deployments.start({ orgId: f.orgId, deploymentId: f.deploymentId, expectedGeneration: 1 }),
  'deployments.snapshots': (api, f) => api.deployments.snapshots({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'deployments.takeSnapshot': (api, f) => api.deployments.takeSnapshot({ orgId: f.orgId, deploymentId: f.deploymentId }),
  'deployments.restoreSnapshot': (api, f) => api.deployments.restoreSnapshot({ orgId: f.orgId, snapshotId: f.snapshotId, name: 'stolen-copy', idempotencyKey: 'isolation-restore-1' }),
  'billing.overview': (api, f) => api.billing.overview({ orgId: f.orgId }),
  'billing.usage': (api, f) => api.billing.usage({ orgId: f.orgId, range: { from: new Date(Date.now() - 86_400_000), to: new Date(), granularity: 'hour' } }),
  'billing.checkout': (api, f) => api.billing.checkout({ orgId: f.orgId, plan: 'starter' }),
  'billing.portal': (api, f) => api.billing.portal({ orgId: f.orgId }),
};

/** Calls that take another org's object id with the caller's own org id: must not reach the other org's object. */
const crossObject = [
  'deployments.get',
  'deployments.credentials',
  'deployments.update',
  'deployments.upgrade',
  'deployments.delete',
  'deployments.retry',
  'fleet.setDeploymentWindow',
  'fleet.deploymentUpgrade',
  'fleet.defer',
  'fleet.upgradeNow',
  'apiKeys.revoke',
  'webhooks.delete',
  'webhooks.test',
  'webhooks.redeliver',
  'webhooks.deliveries',
  'deployments.stop',
  'deployments.start',
  'deployments.metrics',
  'deployments.snapshots',
  'deployments.takeSnapshot',
  'deployments.restoreSnapshot',
];

/** Mutations a viewer may make because they only concern the viewer's own membership. */
const selfService = new Set(['members.leave']);

const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { meta?: Meta; type: string } }>);
const orgScoped = procedures.filter(([, p]) => p._def.meta?.scope === 'org');
const staffScoped = procedures.filter(([, p]) => p._def.meta?.scope === 'staff' || p._def.meta?.scope === 'staffAdmin');

it('has a cross-tenant case for every org-scoped procedure', () => {
  expect(orgScoped.length).toBeGreaterThan(5);
  expect(orgScoped.map(([path]) => path).filter((path) => !cases[path])).toEqual([]);
});

it('marks every procedure with a scope', () => {
  expect(procedures.filter(([, p]) => !p._def.meta?.scope).map(([path]) => path)).toEqual([]);
});

describe.each(drivers)('tenant isolation (%s)', (driver) => {
  let t: TestDb;
  let victim: Fixture;
  let outsider: Api;
  let attackerOrgId: string;
  let viewer: Api;
  let snapshot: () => Promise<unknown>;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    const { owner, member, org, deployment: dep } = await makeVictimOrg(t.db);
    const inv = await owner.api.invitations.create({ orgId: org.id, role: 'admin' });
    const key = await owner.api.apiKeys.create({ orgId: org.id, name: 'CI', role: 'member' });
    const hook = await owner.api.webhooks.create({ orgId: org.id, url: 'https://93.184.215.14/victim', events: ['deployment.failed'] });
    const ping = await owner.api.webhooks.test({ orgId: org.id, webhookId: hook.id });
    // A snapshot of the victim's deployment, as the snapshot job would have left it.
    const [snap] = await t.db.insert(snapshots).values({ orgId: org.id, deploymentId: dep.id, kind: 'manual', status: 'available', spec: (await t.db.select().from(deployments).where(eq(deployments.id, dep.id)))[0]!.spec, sizeBytes: 1024 }).returning();
    victim = { orgId: org.id, memberUserId: member.user.id, invitationId: inv.id, deploymentId: dep.id, apiKeyId: key.id, webhookId: hook.id, deliveryId: ping.deliveryId, snapshotId: snap!.id };

    // The outsider owns an org of their own: being powerful elsewhere must not help.
    const out = await makeUser(t.db, 'owner@attacker.test');
    attackerOrgId = (await out.api.orgs.create({ name: 'Attacker' })).id;
    outsider = out.api;

    const v = await makeUser(t.db, 'viewer@victim.test');
    await joinOrg(owner.api, org.id, v, 'viewer');
    viewer = v.api;

    snapshot = async () => ({
      org: await owner.api.orgs.get({ orgId: org.id }),
      deletion: await owner.api.orgs.deletion({ orgId: org.id }),
      members: await owner.api.members.list({ orgId: org.id }),
      invitations: await owner.api.invitations.list({ orgId: org.id }),
      deployment: await owner.api.deployments.get({ orgId: org.id, deploymentId: dep.id }),
      window: await owner.api.fleet.window({ orgId: org.id }),
      upgrade: await owner.api.fleet.deploymentUpgrade({ orgId: org.id, deploymentId: dep.id }),
      apiKeys: await owner.api.apiKeys.list({ orgId: org.id }),
      webhooks: await owner.api.webhooks.list({ orgId: org.id }),
      deliveries: await owner.api.webhooks.deliveries({ orgId: org.id, webhookId: victim.webhookId }),
    });
  });
  afterAll(() => t.drop());

  it('refuses a member of another org on every org-scoped procedure, and changes nothing', async () => {
    const before = await snapshot();
    for (const [path] of orgScoped) {
      const err = await cases[path]!(outsider, victim).then(() => null, (e) => e);
      expect({ path, code: err?.code }).toEqual({ path, code: 'FORBIDDEN' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('does not find another org’s deployment through the caller’s own org', async () => {
    const before = await snapshot();
    for (const path of crossObject) {
      const err = await cases[path]!(outsider, { ...victim, orgId: attackerOrgId }).then(() => null, (e) => e);
      expect({ path, code: err?.code }).toEqual({ path, code: 'NOT_FOUND' });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('lets a viewer read what viewers may read, and mutate nothing', async () => {
    const before = await snapshot();
    for (const [path, proc] of orgScoped) {
      if (proc._def.type !== 'mutation' || selfService.has(path)) continue;
      const err = await cases[path]!(viewer, victim).then(() => null, (e) => e);
      expect({ path, code: err?.code }).toEqual({ path, code: 'FORBIDDEN' });
    }
    expect(await snapshot()).toEqual(before);
    for (const [path, proc] of orgScoped) {
      if (proc._def.type !== 'query' || proc._def.meta?.minRole !== 'viewer') continue;
      await expect(cases[path]!(viewer, victim)).resolves.toBeDefined();
    }
  });

  it('refuses customers on every staff procedure', async () => {
    for (const [path] of staffScoped) {
      const call = path.split('.').reduce<any>((node, key) => node[key], outsider);
      const err = await call().then(() => null, (e: any) => e);
      expect({ path, code: err?.code }).toEqual({ path, code: 'FORBIDDEN' });
    }
  });

  it('refuses anonymous callers on every non-public procedure', async () => {
    const anon = (await import('~/test/harness')).callerFor(t.db, null);
    for (const [path] of orgScoped) {
      const err = await cases[path]!(anon as Api, victim).then(() => null, (e) => e);
      expect({ path, code: err?.code }).toEqual({ path, code: 'UNAUTHORIZED' });
    }
  });
});
