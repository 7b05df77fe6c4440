/** The Activity page's trail: the org's own entries, filterable, staff reads left out and staff actions unnamed. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT, joinOrg, makeOrg, makeUser } from '~/test/fixtures';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';

describe.each(drivers)('org activity (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t?.drop());

  it('lists who did what, newest first, filtered by kind and person', async () => {
    const { owner, org } = await makeOrg(t.db, 'Active Co');
    const mate = await makeUser(t.db, 'mate@active.test');
    await joinOrg(owner.api, org.id, mate, 'member');
    await mate.api.deployments.create({ orgId: org.id, name: 'trail', idempotencyKey: 'activity-1', ...DEFAULT_DEPLOYMENT });
    await owner.api.orgs.rename({ orgId: org.id, name: 'Active Company' });
    const staff = await makeUser(t.db, 'reader@plinth.test', 'admin');
    await staff.api.staff.tenants.get({ orgId: org.id }).catch(() => null);

    const all = await owner.api.orgs.activity({ orgId: org.id });
    expect(all.entries[0]).toMatchObject({ action: 'org.rename', label: 'Renamed the organization' });
    expect(all.entries.map((e) => e.action)).toContain('deployment.create');
    expect(all.entries.some((e) => e.action.startsWith('staff.'))).toBe(false);
    expect(all.people.map((p) => p.email)).toContain('mate@active.test');

    const deploymentsOnly = await owner.api.orgs.activity({ orgId: org.id, kind: 'deployment' });
    expect(deploymentsOnly.entries.map((e) => e.action)).toEqual(['deployment.create']);
    expect(deploymentsOnly.entries[0]!.actor).toBe(mate.user.name || 'mate@active.test');
    const byMate = await owner.api.orgs.activity({ orgId: org.id, actorId: mate.user.id });
    expect(byMate.entries.every((e) => e.action !== 'org.rename')).toBe(true);
    await expect(owner.api.orgs.activity({ orgId: org.id, kind: 'nonsense' as 'org' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
