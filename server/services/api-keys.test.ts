/**
 * API keys: the secret is returned once and stored hashed; a key acts for its maker with the lower of the two
 * roles, only in its own org, and is refused once revoked, expired or orphaned; changes name the key in the
 * audit log and the tenant timeline.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeys, auditLog } from '~/db/schema';
import { contextForApiKey } from '~/server/api/api-key-context';
import { createCaller } from '~/server/api/root';
import { joinOrg, makeDeployment, makeOrg, makeUser } from '~/test/fixtures';
import { drivers, openTestDatabase, testConfig, type TestDb } from '~/test/harness';

describe.each(drivers)('API keys (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t.drop());

  const asKey = async (key: string) => createCaller(await contextForApiKey(t.db, key, '198.51.100.9', testConfig));
  const codeOf = (p: Promise<unknown>) => p.then(() => null, (e: { code?: string }) => e.code);

  it('shows the secret once, stores only its hash, and lists last use', async () => {
    const { api, orgId } = await makeOrg(t.db, 'Keys');
    const created = await api.apiKeys.create({ orgId, name: 'CI', role: 'member' });
    expect(created.key).toMatch(/^plk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(created.key.startsWith(`plk_${created.prefix}_`)).toBe(true);
    const [row] = await t.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
    // The secret is everything after the prefix: it is base64url, so it may itself contain '_'.
    const secret = created.key.slice(`plk_${created.prefix}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(row)).not.toContain(secret);
    const listed = await api.apiKeys.list({ orgId });
    expect(listed).toHaveLength(1);
    expect(listed[0]).not.toHaveProperty('key');
    expect(listed[0]).not.toHaveProperty('secretHash');
    expect(listed[0]!.lastUsedAt).toBeNull();
    await (await asKey(created.key)).deployments.list({ orgId });
    const [used] = await api.apiKeys.list({ orgId });
    expect(used!.lastUsedAt).toBeInstanceOf(Date);
    expect(used!.lastUsedIp).toBe('198.51.100.9');
  });

  it('acts with the lower of its role and its maker’s, in its own org only, never on account procedures', async () => {
    const { api, orgId, owner } = await makeOrg(t.db, 'Roles');
    const other = await makeOrg(t.db, 'Other');
    await joinOrg(other.api, other.orgId, owner, 'owner');
    const viewerKey = await api.apiKeys.create({ orgId, name: 'read', role: 'viewer' });
    const viewer = await asKey(viewerKey.key);
    await expect(viewer.deployments.list({ orgId })).resolves.toBeDefined();
    expect(await codeOf(makeDeployment(viewer, orgId, 'nope'))).toBe('FORBIDDEN');
    // Its maker is an owner of the other org too: the key still only works in its own.
    expect(await codeOf(viewer.deployments.list({ orgId: other.orgId }))).toBe('FORBIDDEN');
    expect(await codeOf(viewer.auth.me())).toBe('FORBIDDEN');
    expect(await codeOf(viewer.orgs.create({ name: 'Sneaky' }))).toBe('FORBIDDEN');

    // An admin's admin key loses its power when the admin is demoted to member.
    const admin = await makeUser(t.db, `admin-${driver}@roles.test`);
    await joinOrg(api, orgId, admin, 'admin');
    const adminKey = await admin.api.apiKeys.create({ orgId, name: 'ops', role: 'admin' });
    await expect((await asKey(adminKey.key)).apiKeys.list({ orgId })).resolves.toHaveLength(2);
    await api.members.changeRole({ orgId, userId: admin.user.id, role: 'member' });
    expect(await codeOf((await asKey(adminKey.key)).apiKeys.list({ orgId }))).toBe('FORBIDDEN');
    // … and stops working when they leave.
    await api.members.remove({ orgId, userId: admin.user.id });
    expect(await codeOf(asKey(adminKey.key))).toBe('UNAUTHORIZED');
    // A member cannot mint a key above their role.
    expect(await codeOf(admin.api.apiKeys.create({ orgId, name: 'x', role: 'viewer' }))).toBe('FORBIDDEN');
  });

  it('refuses revoked, expired, unknown and malformed keys with a reason', async () => {
    const { api, orgId } = await makeOrg(t.db, 'Refusals');
    const k = await api.apiKeys.create({ orgId, name: 'soon', role: 'member', expiresAt: new Date(Date.now() + 3_600_000) });
    await expect(contextForApiKey(t.db, k.key, '198.51.100.9', testConfig, new Date(Date.now() + 7_200_000))).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: expect.stringContaining('expired') });
    const tampered = k.key.slice(0, -1) + (k.key.endsWith('A') ? 'B' : 'A');
    await expect(asKey(tampered)).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: expect.stringContaining('not valid') });
    await expect(asKey('hunter2')).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: expect.stringContaining('not a Plinth API key') });
    await api.apiKeys.revoke({ orgId, keyId: k.id });
    await expect(asKey(k.key)).rejects.toMatchObject({ code: 'UNAUTHORIZED', userMessage: expect.stringContaining('revoked') });
    expect(await codeOf(api.apiKeys.create({ orgId, name: 'past', role: 'member', expiresAt: new Date(Date.now() - 1000) }))).toBe('BAD_REQUEST');
  });

  it('names the key in the audit log and in the tenant timeline', async () => {
    const { api, orgId } = await makeOrg(t.db, 'Audit');
    const k = await api.apiKeys.create({ orgId, name: 'deploy-bot', role: 'member' });
    const d = await makeDeployment(await asKey(k.key), orgId, 'from-ci');
    const [row] = await t.db.select().from(auditLog).where(eq(auditLog.target, d.id));
    expect(row!.apiKeyId).toBe(k.id);
    const staff = await makeUser(t.db, `support-${driver}@plinth.test`, 'support');
    const { entries } = await staff.api.staff.tenants.timeline({ orgId });
    const create = entries.find((e) => e.action === 'operation.create');
    expect(create?.actor?.apiKey).toEqual({ name: 'deploy-bot', prefix: k.prefix });
    const keys = await staff.api.staff.tenants.apiKeys({ orgId });
    expect(keys.map((x) => x.name)).toEqual(['deploy-bot']);
    expect(JSON.stringify(keys)).not.toContain(k.key);
  });
});
