/** The sandbox cloud keeps each deployment's password sealed (AES-GCM, like the real secret), never in plain text. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxResources } from '~/db/schema';
import { drivers, openTestDatabase, TEST_SECRET_KEY, type TestDb } from '~/test/harness';
import { createSandboxEngines } from './sandbox';

describe.each(drivers)('sandbox password at rest (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
  });
  afterAll(() => t?.drop());

  it('stores the password sealed, returns the same one on every apply, and reads legacy plain rows', async () => {
    const engines = createSandboxEngines(t.db, { latencyMs: 0, transientFaultRate: 0, permanentFaultRate: 0, secretKey: TEST_SECRET_KEY });
    const spec = { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 256, replicas: 0, persistence: false, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } };
    const d = { id: randomUUID(), orgId: randomUUID(), name: 'sealed', generation: 1, spec, tier: 'shared' as const, cloudAccountRef: null, chartVersion: '19.6.4' };
    const first = await engines.infra.apply(d, () => {});
    const again = await engines.infra.apply({ ...d, generation: 2, spec: { ...spec, memoryMb: 512 } }, () => {});
    expect(again.secrets.password).toBe(first.secrets.password);
    const [row] = await t.db.select().from(sandboxResources).where(eq(sandboxResources.deploymentId, d.id));
    expect(row!.secret).toMatch(/^v1\./);
    expect(row!.secret).not.toContain(first.secrets.password);

    const legacy = { ...d, id: randomUUID() };
    await t.db.insert(sandboxResources).values({ deploymentId: legacy.id, kind: 'infra', spec: { region: 'eu-west-1', memoryMb: 256, replicas: 0, persistence: false }, secret: 'plainLegacyPassword' });
    expect((await engines.infra.apply(legacy, () => {})).secrets.password).toBe('plainLegacyPassword');
  });
});
