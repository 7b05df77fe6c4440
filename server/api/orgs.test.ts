import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';

describe.each(drivers)('organizations, invitations and roles (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t.drop());

  it('creates an org with the creator as owner and a unique slug', async () => {
    const { api } = await makeUser(t.db, 'owner1@acme.test');
    const a = await api.orgs.create({ name: 'Acme Corp' });
    const b = await api.orgs.create({ name: 'Acme Corp' });
    expect(a).toMatchObject({ name: 'Acme Corp', slug: 'acme-corp', role: 'owner' });
    expect(b.slug).toMatch(/^acme-corp-[0-9a-f]{6}$/);
    expect((await api.orgs.mine()).map((o) => o.id).sort()).toEqual([a.id, b.id].sort());
    await expect(api.orgs.create({ name: ' ' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('invites a teammate who joins with the invited role, once', async () => {
    const { api: owner } = await makeUser(t.db, 'owner2@acme.test');
    const org = await owner.orgs.create({ name: 'Globex' });
    const inv = await owner.invitations.create({ orgId: org.id, role: 'member', email: '' });
    expect(await owner.invitations.list({ orgId: org.id })).toHaveLength(1);

    const invitee = await makeUser(t.db, 'dev@globex.test');
    expect(await invitee.api.invitations.describe({ token: inv.token })).toMatchObject({ state: 'pending', orgName: 'Globex', role: 'member' });
    expect(await invitee.api.invitations.accept({ token: inv.token })).toEqual({ orgId: org.id, role: 'member' });
    expect((await owner.members.list({ orgId: org.id })).map((m) => [m.email, m.role])).toEqual([
      ['owner2@acme.test', 'owner'],
      ['dev@globex.test', 'member'],
    ]);
    expect(await owner.invitations.list({ orgId: org.id })).toHaveLength(0);

    const other = await makeUser(t.db, 'late@globex.test');
    await expect(other.api.invitations.accept({ token: inv.token })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await other.api.invitations.describe({ token: 'x'.repeat(32) })).toEqual({ state: 'invalid' });
  });

  it('binds an invitation to its email and honours revocation', async () => {
    const { api: owner } = await makeUser(t.db, 'owner3@acme.test');
    const org = await owner.orgs.create({ name: 'Initech' });
    const inv = await owner.invitations.create({ orgId: org.id, role: 'viewer', email: 'Peter@Initech.test' });
    const wrong = await makeUser(t.db, 'milton@initech.test');
    await expect(wrong.api.invitations.accept({ token: inv.token })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: 'This invitation is for peter@initech.test. Sign in with that address to accept it.',
    });
    await owner.invitations.revoke({ orgId: org.id, invitationId: inv.id });
    const peter = await makeUser(t.db, 'peter@initech.test');
    await expect(peter.api.invitations.accept({ token: inv.token })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(owner.invitations.revoke({ orgId: org.id, invitationId: inv.id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('changes roles, and never lets the last owner go', async () => {
    const owner = await makeUser(t.db, 'owner4@acme.test');
    const org = await owner.api.orgs.create({ name: 'Umbrella' });
    const admin = await makeUser(t.db, 'admin4@acme.test');
    await admin.api.invitations.accept({ token: (await owner.api.invitations.create({ orgId: org.id, role: 'admin' })).token });

    await expect(owner.api.members.changeRole({ orgId: org.id, userId: owner.user.id, role: 'admin' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: 'This is the last owner. Make someone else an owner first.',
    });
    await expect(owner.api.members.leave({ orgId: org.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // An admin cannot touch owners or mint new ones.
    await expect(admin.api.members.remove({ orgId: org.id, userId: owner.user.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.api.members.changeRole({ orgId: org.id, userId: admin.user.id, role: 'owner' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(admin.api.invitations.create({ orgId: org.id, role: 'owner' })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    await owner.api.members.changeRole({ orgId: org.id, userId: admin.user.id, role: 'owner' });
    await owner.api.members.changeRole({ orgId: org.id, userId: owner.user.id, role: 'viewer' });
    await expect(admin.api.members.remove({ orgId: org.id, userId: admin.user.id })).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    // The demoted owner is now a viewer: re-read from the database on the next call.
    await expect(owner.api.invitations.create({ orgId: org.id, role: 'member' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await admin.api.members.remove({ orgId: org.id, userId: owner.user.id });
    await expect(owner.api.orgs.get({ orgId: org.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('keeps one owner when two owners demote each other at the same time', async () => {
    const a = await makeUser(t.db, 'race-a@acme.test');
    const b = await makeUser(t.db, 'race-b@acme.test');
    const org = await a.api.orgs.create({ name: 'Race' });
    await b.api.invitations.accept({ token: (await a.api.invitations.create({ orgId: org.id, role: 'owner' })).token });
    const results = await Promise.allSettled([
      a.api.members.changeRole({ orgId: org.id, userId: b.user.id, role: 'member' }),
      b.api.members.changeRole({ orgId: org.id, userId: a.user.id, role: 'member' }),
    ]);
    const members = await a.api.members.list({ orgId: org.id }).catch(() => b.api.members.list({ orgId: org.id }));
    expect(members.filter((m) => m.role === 'owner')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
  });

  it('lets staff list every organization and keeps customers out', async () => {
    const support = await makeUser(t.db, 'support@plinth.test', 'support');
    const customer = await makeUser(t.db, 'cust@acme.test');
    await customer.api.orgs.create({ name: 'Customer Co' });
    const { tenants } = await support.api.staff.tenants.list({});
    expect(tenants.find((o) => o.name === 'Customer Co')).toMatchObject({ members: 1, slug: 'customer-co' });
    await expect(customer.api.staff.tenants.list({})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
