/**
 * Fleet bad input through the API: every refusal is a 4xx naming the field, and changes nothing. Also the version
 * lifecycle (retired versions are not offered; skip-version upgrades name the path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { auditLog, rollouts } from '~/db/schema';
import { makeDeployment, makeOrg, makeUser, type Api } from '~/test/fixtures';
import { plan } from '~/test/fleet';
import { drivers, openTestDatabase, type TestDb } from '~/test/harness';

/** The code and the field (AppError's, or the zod issue's path) of a refused call. */
async function refusal(p: Promise<unknown>) {
  const e = await p.then(() => null, (err) => err);
  if (!e) return null;
  const cause = e.cause;
  return { code: e.code as string, field: cause instanceof ZodError ? cause.issues[0]!.path.join('.') : (cause?.field ?? null), message: (cause?.userMessage ?? cause?.issues?.[0]?.message ?? e.message) as string };
}

describe.each(drivers)('fleet input (%s)', (driver) => {
  let t: TestDb;
  let admin: Api;
  let customer: Awaited<ReturnType<typeof makeOrg>>;
  let deploymentId: string;

  beforeAll(async () => {
    t = await openTestDatabase(driver);
    admin = (await makeUser(t.db, 'fleet-input@plinth.test', 'admin')).api;
    customer = await makeOrg(t.db, 'Inputs');
    deploymentId = (await makeDeployment(customer.api, customer.orgId, 'inputs-cache')).id;
  });
  afterAll(() => t.drop());

  const count = async () => [(await t.db.select().from(rollouts)).length, (await t.db.select().from(auditLog)).length];

  it('refuses bad windows at the field, and changes nothing', async () => {
    const before = await count();
    const w = { days: [1], start: '02:00', durationMinutes: 120, timeZone: 'Europe/Berlin' };
    const set = (window: typeof w) => customer.api.fleet.setWindow({ orgId: customer.orgId, window });
    expect(await refusal(set({ ...w, timeZone: 'Europe/Atlantis' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'window.timeZone' });
    expect(await refusal(set({ ...w, durationMinutes: 30 }))).toMatchObject({ code: 'BAD_REQUEST', field: 'window.durationMinutes', message: 'Make the window at least 1 hour long.' });
    expect(await refusal(set({ ...w, start: '2am' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'window.start' });
    expect(await refusal(set({ ...w, days: [] }))).toMatchObject({ code: 'BAD_REQUEST', field: 'window.days' });
    expect(await refusal(set({ ...w, days: [1, 2], durationMinutes: 24 * 60 + 60 }))).toMatchObject({ code: 'BAD_REQUEST', field: 'window.durationMinutes' });
    expect(await refusal(set({ ...w, days: [9] }))).toMatchObject({ code: 'BAD_REQUEST', field: 'window.days.0' });
    expect(await count()).toEqual(before);
    await set(w);
    expect((await customer.api.fleet.window({ orgId: customer.orgId })).next).not.toBeNull();
  });

  it('refuses bad rollouts at the field, and changes nothing', async () => {
    const before = await count();
    const p = plan({ orgIds: [customer.orgId] });
    const create = (over: object) => admin.staff.fleet.createRollout({ ...p, ...over });
    expect(await refusal(create({ canary: { size: 0, unit: 'count' } }))).toMatchObject({ code: 'BAD_REQUEST', field: 'canary.size' });
    expect(await refusal(create({ wavePercent: 0 }))).toMatchObject({ code: 'BAD_REQUEST', field: 'wavePercent' });
    expect(await refusal(create({ deadline: new Date(Date.now() - 3600_000) }))).toMatchObject({ code: 'BAD_REQUEST', field: 'deadline' });
    expect(await refusal(create({ targetVersion: '9.9.9' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'targetVersion' });
    await admin.staff.fleet.publishVersion({ version: '8.0.0', moduleRef: 'redis-8.0.0', chartVersion: '22.0.0', notes: '', severity: 'regular', status: 'available' });
    expect(await refusal(create({ targetVersion: '8.0.0' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'targetVersion', message: expect.stringContaining('No upgrade path leads to 8.0.0') });
    expect(await refusal(create({ selector: { orgIds: [] , versions: ['1.0.0'] } }))).toMatchObject({ code: 'BAD_REQUEST', field: 'selector' });
    expect(await count()).toEqual([before[0], before[1]! + 1]); // only the version publication was recorded
  });

  it('moves versions forward only, refuses retired versions and skip-version upgrades with the path', async () => {
    await admin.staff.fleet.publishVersion({ version: '7.6.0', moduleRef: 'redis-7.6.0', chartVersion: '20.9.0', notes: 'Next.', severity: 'security', status: 'preview' });
    expect(await refusal(customer.api.deployments.create({ orgId: customer.orgId, name: 'too-early', plan: 'starter', region: 'eu-west-1', version: '7.6.0', idempotencyKey: 'fleet-too-early' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'version' });
    await admin.staff.fleet.setVersionStatus({ version: '7.6.0', status: 'available' });
    expect(await refusal(admin.staff.fleet.setVersionStatus({ version: '7.6.0', status: 'preview' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'status' });
    await admin.staff.fleet.addPath({ fromVersion: '7.4.1', toVersion: '7.6.0' });
    const d = await customer.api.deployments.get({ orgId: customer.orgId, deploymentId });
    const skip = await refusal(customer.api.deployments.upgrade({ orgId: customer.orgId, deploymentId, expectedGeneration: d.generation, version: '7.6.0' }));
    expect(skip).toEqual({ code: 'BAD_REQUEST', field: 'version', message: 'There is no direct upgrade from 7.2.5 to 7.6.0. Upgrade along the path 7.2.5 → 7.4.1 → 7.6.0: to 7.4.1 first.' });
    await admin.staff.fleet.setVersionStatus({ version: '7.2.5', status: 'retired' });
    expect(await refusal(customer.api.deployments.create({ orgId: customer.orgId, name: 'retired-one', plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: 'fleet-retired' }))).toMatchObject({ code: 'BAD_REQUEST', field: 'version', message: expect.stringContaining('retired') });
    const banner = await customer.api.fleet.deploymentUpgrade({ orgId: customer.orgId, deploymentId });
    expect(banner.version).toEqual({ version: '7.2.5', status: 'retired', upgradePath: ['7.2.5', '7.4.1', '7.6.0'] });
    expect((await admin.staff.fleet.versions()).find((v) => v.version === '7.2.5')).toMatchObject({ status: 'retired', upgradesTo: ['7.4.1'] });
  });
});
