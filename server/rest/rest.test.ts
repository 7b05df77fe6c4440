/**
 * The REST API over real HTTP: the OpenAPI document is valid and lists exactly the routes the dispatcher serves;
 * every route answers as documented; every route is probed across tenants and with each key role (the isolation
 * suite's rules, for API keys); Idempotency-Key and the generation preconditions behave as documented.
 */
import { compileErrors, validate } from '@readme/openapi-parser';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, snapshots } from '~/db/schema';
import { joinOrg, makeDeployment, makeUser, makeVictimOrg, type Api } from '~/test/fixtures';
import { drivers, openTestDatabase, testConfig, type TestDb } from '~/test/harness';
import { serveFetch, type TestServer } from '~/test/http';
import { handleRest } from './handler';
import { openApiDocument } from './openapi';
import { routes, type Route } from './routes';

type Req = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown; headers?: Record<string, string> };
type World = { deploymentId: string; deploymentName: string; keyId: string; generation: number; webhookId: string; deliveryId: string; snapshotId: string };

/** A valid request per route, in an order an admin key can run them one after another. */
const samples: Record<string, (w: World) => Req> = {
  listDeployments: () => ({ query: { limit: '10' } }),
  createDeployment: () => ({ body: { name: 'from-rest', plan: 'starter', region: 'eu-west-1', version: '7.2.5' }, headers: { 'idempotency-key': 'sample-create-1' } }),
  getDeployment: (w) => ({ params: { deploymentId: w.deploymentId } }),
  updateDeployment: (w) => ({ params: { deploymentId: w.deploymentId }, body: { memoryMb: 512 }, headers: { 'if-match': `"${w.generation}"` } }),
  upgradeDeployment: (w) => ({ params: { deploymentId: w.deploymentId }, body: { version: '7.4.1', expectedGeneration: w.generation + 1 } }),
  stopDeployment: (w) => ({ params: { deploymentId: w.deploymentId }, body: {}, headers: { 'if-match': `"${w.generation + 2}"` } }),
  startDeployment: (w) => ({ params: { deploymentId: w.deploymentId }, body: { expectedGeneration: w.generation + 3 } }),
  listOperations: (w) => ({ params: { deploymentId: w.deploymentId } }),
  listDeploymentEvents: (w) => ({ params: { deploymentId: w.deploymentId } }),
  listSnapshots: (w) => ({ params: { deploymentId: w.deploymentId } }),
  takeSnapshot: (w) => ({ params: { deploymentId: w.deploymentId } }),
  restoreSnapshot: (w) => ({ params: { snapshotId: w.snapshotId }, body: { name: 'restored-rest' } }),
  listPlans: () => ({}),
  listRegions: () => ({}),
  listVersions: () => ({}),
  getUsage: () => ({ query: { from: new Date(Date.now() - 7 * 86_400_000).toISOString(), to: new Date().toISOString(), granularity: 'day' } }),
  listInvoices: () => ({}),
  listCredits: () => ({}),
  listMembers: () => ({}),
  listApiKeys: () => ({}),
  createApiKey: () => ({ body: { name: 'rotated', role: 'viewer' } }),
  revokeApiKey: (w) => ({ params: { keyId: w.keyId } }),
  listWebhooks: () => ({}),
  createWebhook: () => ({ body: { url: 'https://93.184.215.14/rest-hook', events: ['deployment.ready', 'invoice.issued'] } }),
  testWebhook: (w) => ({ params: { webhookId: w.webhookId } }),
  listWebhookDeliveries: (w) => ({ params: { webhookId: w.webhookId } }),
  redeliverWebhook: (w) => ({ params: { deliveryId: w.deliveryId } }),
  deleteWebhook: (w) => ({ params: { webhookId: w.webhookId } }),
  deleteDeployment: (w) => ({ params: { deploymentId: w.deploymentId }, body: { confirmName: w.deploymentName } }),
};

it('has a sample request for every route', () => {
  expect(routes.map((r) => r.operationId).filter((id) => !samples[id])).toEqual([]);
});

it('serves a valid OpenAPI 3.1 document listing exactly the routes the API serves', async () => {
  const doc = openApiDocument();
  const result = await validate(structuredClone(doc) as never);
  expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  expect(doc.openapi).toBe('3.1.0');
  const documented = Object.entries(doc.paths ?? {}).flatMap(([p, item]) => Object.keys(item as object).map((m) => `${m} ${p}`));
  expect(documented.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
});

describe.each(drivers)('REST API over HTTP (%s)', (driver) => {
  let t: TestDb;
  let server: TestServer;
  let victimOrg: { id: string; slug: string };
  let owner: Api;
  let keys: Record<'admin' | 'member' | 'viewer' | 'outsider', string>;
  let world: World;
  let attackerOrgId: string;

  const call = async (key: string | null, method: string, path: string, r: Req = {}) => {
    const qs = r.query ? `?${new URLSearchParams(r.query)}` : '';
    const res = await fetch(`${server.url}${path}${qs}`, {
      method: method.toUpperCase(),
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(r.body !== undefined ? { 'content-type': 'application/json' } : {}), ...r.headers },
      body: r.body === undefined ? undefined : typeof r.body === 'string' ? r.body : JSON.stringify(r.body),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as any };
  };
  const pathOf = (route: Route, org: string, r: Req) => route.path.replace('{org}', org).replace(/\{(\w+)\}/g, (_, n: string) => r.params?.[n] ?? '');
  const snapshot = async () => ({
    deployments: await owner.deployments.list({ orgId: victimOrg.id }),
    keys: (await owner.apiKeys.list({ orgId: victimOrg.id })).map((k) => ({ ...k, lastUsedAt: null, lastUsedIp: null })),
    members: await owner.members.list({ orgId: victimOrg.id }),
    webhooks: await owner.webhooks.list({ orgId: victimOrg.id }),
    deliveries: (await owner.webhooks.list({ orgId: victimOrg.id })).length ? await owner.webhooks.deliveries({ orgId: victimOrg.id, webhookId: world.webhookId }) : [],
  });

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    server = await serveFetch((req) => handleRest(req, { db: t.db, config: testConfig, ip: '198.51.100.20' }));
    const v = await makeVictimOrg(t.db);
    owner = v.owner.api;
    victimOrg = { id: v.org.id, slug: v.org.slug };
    const viewer = await makeUser(t.db, 'viewer@rest.test');
    await joinOrg(owner, v.org.id, viewer, 'viewer');
    const mk = (role: 'admin' | 'member' | 'viewer') => owner.apiKeys.create({ orgId: v.org.id, name: role, role }).then((k) => k.key);
    const out = await makeUser(t.db, 'owner@attacker-rest.test');
    attackerOrgId = (await out.api.orgs.create({ name: 'Attacker' })).id;
    const outsiderKey = (await out.api.apiKeys.create({ orgId: attackerOrgId, name: 'evil', role: 'admin' })).key;
    const spare = await owner.apiKeys.create({ orgId: v.org.id, name: 'spare', role: 'viewer' });
    keys = { admin: await mk('admin'), member: await mk('member'), viewer: await mk('viewer'), outsider: outsiderKey };
    const hook = await owner.webhooks.create({ orgId: v.org.id, url: 'https://93.184.215.14/victim', events: ['deployment.failed'] });
    const ping = await owner.webhooks.test({ orgId: v.org.id, webhookId: hook.id });
    // A snapshot as the snapshot job leaves one, to restore from.
    const [snap] = await t.db.insert(snapshots).values({ orgId: v.org.id, deploymentId: v.deployment.id, kind: 'scheduled', status: 'available', spec: (await t.db.select().from(deployments).where(eq(deployments.id, v.deployment.id)))[0]!.spec, sizeBytes: 4096 }).returning();
    world = { deploymentId: v.deployment.id, deploymentName: 'victim-cache', keyId: spare.id, generation: 1, webhookId: hook.id, deliveryId: ping.deliveryId, snapshotId: snap!.id };
  });
  afterAll(async () => {
    await server?.close();
    await t?.drop();
  });

  it('refuses another org’s key on every route, by id and by slug, and changes nothing', async () => {
    const before = await snapshot();
    for (const route of routes) {
      const r = samples[route.operationId]!(world);
      for (const org of [victimOrg.id, victimOrg.slug]) {
        const res = await call(keys.outsider, route.method, `/api/v1${pathOf(route, org, r)}`, r);
        expect({ op: route.operationId, org, status: res.status, code: res.body.code }).toEqual({ op: route.operationId, org, status: 403, code: 'FORBIDDEN' });
        expect(res.body.message).toContain('another organization');
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it('does not find another org’s objects through the key’s own org', async () => {
    const before = await snapshot();
    for (const route of routes.filter((x) => x.pathParams)) {
      const r = samples[route.operationId]!(world);
      const res = await call(keys.outsider, route.method, `/api/v1${pathOf(route, attackerOrgId, r)}`, r);
      expect({ op: route.operationId, status: res.status }).toEqual({ op: route.operationId, status: 404 });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses each key role below a route’s role, and changes nothing', async () => {
    const before = await snapshot();
    const rank = { viewer: 1, member: 2, admin: 3 } as const;
    for (const role of ['viewer', 'member'] as const) {
      for (const route of routes.filter((x) => rank[x.minRole] > rank[role])) {
        const r = samples[route.operationId]!(world);
        const res = await call(keys[role], route.method, `/api/v1${pathOf(route, victimOrg.slug, r)}`, r);
        expect({ role, op: route.operationId, status: res.status }).toEqual({ role, op: route.operationId, status: 403 });
        expect(res.body.message).toContain('this API key acts as');
      }
    }
    expect(await snapshot()).toEqual(before);
    for (const role of ['viewer', 'member', 'admin'] as const) {
      for (const route of routes.filter((x) => x.method === 'get' && rank[x.minRole] <= rank[role])) {
        const r = samples[route.operationId]!(world);
        const res = await call(keys[role], 'get', `/api/v1${pathOf(route, victimOrg.slug, r)}`, r);
        expect({ role, op: route.operationId, status: res.status }).toEqual({ role, op: route.operationId, status: 200 });
      }
    }
  });

  it('refuses a missing, malformed or revoked key on every route with 401', async () => {
    const revoked = await owner.apiKeys.create({ orgId: victimOrg.id, name: 'gone', role: 'admin' });
    await owner.apiKeys.revoke({ orgId: victimOrg.id, keyId: revoked.id });
    for (const route of routes) {
      const r = samples[route.operationId]!(world);
      for (const key of [null, 'plk_nope', revoked.key]) {
        const res = await call(key, route.method, `/api/v1${pathOf(route, victimOrg.id, r)}`, r);
        expect({ op: route.operationId, status: res.status, code: res.body.code }).toEqual({ op: route.operationId, status: 401, code: 'UNAUTHORIZED' });
      }
    }
  });

  it('answers every route as documented, in order, with an admin key', async () => {
    for (const route of routes) {
      if (route.operationId === 'getDeployment') world.generation = (await t.db.select().from(deployments).where(eq(deployments.id, world.deploymentId)))[0]!.generation;
      // No worker runs here: the deployment is made stopped, as the reconciler would leave it, so it can be snapshotted.
      if (route.operationId === 'takeSnapshot') await t.db.update(deployments).set({ phase: 'stopped', outputs: { host: 'victim.example', port: 6379, tls: true } }).where(eq(deployments.id, world.deploymentId));
      const r = samples[route.operationId]!(world);
      const res = await call(keys.admin, route.method, `/api/v1${pathOf(route, victimOrg.slug, r)}`, r);
      expect({ op: route.operationId, status: res.status, body: res.status >= 400 ? res.body : null }).toEqual({ op: route.operationId, status: route.status, body: null });
      expect(() => route.response.parse(res.body)).not.toThrow();
      const doc = openApiDocument().paths?.[route.path]?.[route.method];
      expect(Object.keys(doc?.responses ?? {})).toContain(String(route.status));
      if (route.operationId === 'getDeployment') expect(res.headers.get('etag')).toBe(`"${res.body.generation}"`);
    }
  });

  it('pages through deployments with nextCursor', async () => {
    await t.db.execute(`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null')` as never);
    await makeDeployment(owner, victimOrg.id, 'page-one');
    await makeDeployment(owner, victimOrg.id, 'page-two');
    const res1 = await call(keys.admin, 'get', `/api/v1/orgs/${victimOrg.id}/deployments`, { query: { limit: '1' } });
    expect(res1.body.data).toHaveLength(1);
    expect(res1.body.nextCursor).toBe(res1.body.data[0].id);
    const res2 = await call(keys.admin, 'get', `/api/v1/orgs/${victimOrg.id}/deployments`, { query: { limit: '1', cursor: res1.body.nextCursor } });
    expect(res2.body.data[0].id).not.toBe(res1.body.data[0].id);
    const bad = await call(keys.admin, 'get', `/api/v1/orgs/${victimOrg.id}/deployments`, { query: { limit: '1000' } });
    expect([bad.status, bad.body.field]).toEqual([400, 'limit']);
  });

  it('replays a POST with the same Idempotency-Key and refuses the key on another body with 422', async () => {
    const path = `/api/v1/orgs/${victimOrg.id}/deployments`;
    const body = { name: 'idem-one', plan: 'starter', region: 'eu-west-1', version: '7.2.5' };
    await t.db.execute(`update plans set limits = jsonb_set(limits, '{maxDeployments}', 'null')` as never);
    const first = await call(keys.member, 'post', path, { body, headers: { 'idempotency-key': 'idem-key-0001' } });
    const again = await call(keys.member, 'post', path, { body, headers: { 'idempotency-key': 'idem-key-0001' } });
    expect(first.status).toBe(202);
    expect([again.status, again.body, again.headers.get('idempotent-replayed')]).toEqual([202, first.body, 'true']);
    const other = await call(keys.member, 'post', path, { body: { ...body, name: 'idem-two' }, headers: { 'idempotency-key': 'idem-key-0001' } });
    expect([other.status, other.body.code, other.body.field]).toEqual([422, 'UNPROCESSABLE_CONTENT', 'Idempotency-Key']);
    const names = (await owner.deployments.list({ orgId: victimOrg.id })).map((d) => d.name);
    expect(names.filter((n) => n.startsWith('idem-'))).toEqual(['idem-one']);
  });

  it('refuses a stale generation with the console’s message: 412 with If-Match, 409 with expectedGeneration', async () => {
    const d = await makeDeployment(owner, victimOrg.id, 'conflicted');
    await owner.deployments.update({ orgId: victimOrg.id, deploymentId: d.id, expectedGeneration: 1, memoryMb: 512 });
    const consoleMessage = await owner.deployments.update({ orgId: victimOrg.id, deploymentId: d.id, expectedGeneration: 1, memoryMb: 1024 }).then(() => '', (e: Error) => e.message);
    expect(consoleMessage).toContain('changed since you loaded it');
    const path = `/api/v1/orgs/${victimOrg.id}/deployments/${d.id}`;
    const viaIfMatch = await call(keys.member, 'patch', path, { body: { memoryMb: 1024 }, headers: { 'if-match': '"1"' } });
    expect([viaIfMatch.status, viaIfMatch.body.code, viaIfMatch.body.message]).toEqual([412, 'PRECONDITION_FAILED', consoleMessage]);
    const viaBody = await call(keys.member, 'patch', path, { body: { memoryMb: 1024, expectedGeneration: 1 } });
    expect([viaBody.status, viaBody.body.code, viaBody.body.message]).toEqual([409, 'CONFLICT', consoleMessage]);
    const blind = await call(keys.member, 'patch', path, { body: { memoryMb: 1024 } });
    expect([blind.status, blind.body.field]).toEqual([412, 'expectedGeneration']);
    const current = await call(keys.member, 'get', path);
    const ok = await call(keys.member, 'patch', path, { body: { memoryMb: 1024 }, headers: { 'if-match': current.headers.get('etag')! } });
    expect([ok.status, ok.body.generation]).toEqual([202, 3]);
  });

  it('answers bad input with a clear 4xx and { code, message, field }', async () => {
    const base = `/api/v1/orgs/${victimOrg.id}`;
    const badJson = await call(keys.member, 'post', `${base}/deployments`, { body: '{nope' });
    expect([badJson.status, badJson.body.message]).toEqual([400, 'The request body is not valid JSON.']);
    const badName = await call(keys.member, 'post', `${base}/deployments`, { body: { name: 'X', plan: 'starter', region: 'eu-west-1', version: '7.2.5' } });
    expect([badName.status, badName.body.code, badName.body.field]).toEqual([400, 'BAD_REQUEST', 'name']);
    const unknown = await call(keys.member, 'get', `/api/v1/nowhere`);
    expect(unknown.status).toBe(404);
    const wrongMethod = await call(keys.member, 'put', `${base}/deployments`);
    expect(wrongMethod.status).toBe(405);
    const notUuid = await call(keys.member, 'get', `${base}/deployments/not-a-uuid`);
    expect([notUuid.status, notUuid.body.field]).toEqual([400, 'deploymentId']);
    const badIfMatch = await call(keys.member, 'patch', `${base}/deployments/${world.deploymentId}`, { body: {}, headers: { 'if-match': 'yesterday' } });
    expect([badIfMatch.status, badIfMatch.body.field]).toEqual([400, 'If-Match']);
  });
});
