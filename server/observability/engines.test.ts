/** Engine calls timed through the wrapper, on the real sandbox engines and a real database. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxEngines } from '~/server/reconciler/engines/sandbox';
import type { EngineDeployment } from '~/server/reconciler/engines/types';
import { openTestDatabase, type TestDb } from '~/test/harness';
import { instrumentEngines } from './engines';
import { renderMetrics } from './metrics';

const count = (text: string, labels: string) => Number(text.match(new RegExp(`^plinth_engine_call_duration_seconds_count\\{${labels}\\} (\\d+)$`, 'm'))?.[1] ?? 0);

describe('instrumentEngines', () => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase('pglite');
  });
  afterAll(() => t.drop());

  const d: EngineDeployment = {
    id: '00000000-0000-4000-8000-000000000001',
    orgId: '00000000-0000-4000-8000-000000000002',
    name: 'cache',
    generation: 1,
    spec: { plan: 'starter', region: 'eu-west-1', version: '7.2.5' } as EngineDeployment['spec'],
    tier: 'shared',
    cloudAccountRef: null,
    chartVersion: '19.6.4',
  };

  it('times successful and failing calls by engine and operation, and passes results and errors through', async () => {
    const before = (await renderMetrics()).body;
    const healthy = instrumentEngines(createSandboxEngines(t.db, { latencyMs: 0, transientFaultRate: 0, permanentFaultRate: 0 }));
    const faulty = instrumentEngines(createSandboxEngines(t.db, { latencyMs: 0, transientFaultRate: 0, permanentFaultRate: 1 }));
    expect(healthy.infra.name).toBe('sandbox');
    const status = await healthy.delivery.status(d);
    expect(status.health).toBeTypeOf('string');
    await expect(faulty.infra.apply(d, () => {})).rejects.toThrow(/injected permanent fault/);
    const after = (await renderMetrics()).body;
    const ok = 'engine="sandbox",operation="status",result="ok"';
    const err = 'engine="sandbox",operation="apply",result="error"';
    expect(count(after, ok) - count(before, ok)).toBe(1);
    expect(count(after, err) - count(before, err)).toBe(1);
  });
});
