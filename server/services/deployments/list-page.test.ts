/** The deployments list's keyset pages: newest first, ties broken by id, only the caller's org, bad cursors a 4xx. */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployments, plans } from '~/db/schema';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';

describe.each(drivers)('deployments.list pages (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t?.drop());

  it('walks every live deployment once, newest first, with only the shown columns', async () => {
    const { api } = await makeUser(t.db, 'pages@list.test');
    const org = await api.orgs.create({ name: 'Pages' });
    const other = await api.orgs.create({ name: 'Other Pages' });
    const [plan] = await t.db.select({ id: plans.id }).from(plans).limit(1);
    const spec = { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 512, replicas: 1, persistence: false, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } };
    // Seven share one instant (the id breaks the tie), one is older, one is deleted; another org has its own.
    const row = (orgId: string, name: string, at: string, deleted = false) => ({
      orgId, name, planId: plan!.id, spec, infraEngine: 'sandbox', deliveryEngine: 'sandbox', createdAt: new Date(at), deletedAt: deleted ? new Date() : null, lastError: 'x'.repeat(1000), phase: 'failed' as const,
    });
    await t.db.insert(deployments).values([
      ...Array.from({ length: 7 }, (_, i) => row(org.id, `same-${i}`, '2026-01-02T00:00:00Z')),
      row(org.id, 'older', '2026-01-01T00:00:00Z'),
      row(org.id, 'gone', '2026-01-03T00:00:00Z', true),
      row(other.id, 'theirs', '2026-01-04T00:00:00Z'),
    ]);
    const seen: string[] = [];
    let cursor: string | undefined;
    for (;;) {
      const page = await api.deployments.list({ orgId: org.id, limit: 3, cursor });
      seen.push(...page.map((d) => d.name));
      if (page.length < 3) break;
      cursor = page.at(-1)!.id;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen).size).toBe(8);
    expect(seen.at(-1)).toBe('older');
    const [first] = await api.deployments.list({ orgId: org.id });
    expect(first).toMatchObject({ region: 'eu-west-1', version: '7.2.5', memoryMb: 512, planName: expect.any(String) });
    expect(first!.lastError).toHaveLength(300);
    expect(first).not.toHaveProperty('spec');
    const [theirs] = await t.db.select({ id: deployments.id }).from(deployments).where(sql`${deployments.name} = 'theirs'`);
    // Another org's deployment is no page marker here, and a malformed one is refused; neither is a 500.
    await expect(api.deployments.list({ orgId: org.id, cursor: theirs!.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.deployments.list({ orgId: org.id, cursor: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    await expect(api.deployments.list({ orgId: org.id, limit: 1000 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
