import { describe, expect, it } from 'vitest';
import { declaredOptionalOutputs, rootConfig } from '~/server/reconciler/engines/terraform-config';
import { readOutputs } from '~/server/reconciler/engines/terraform-outputs';
import { COST_BY_STATE, hourlyCost, stateOf } from './cost';

const outputs = (extra: object = {}) =>
  JSON.stringify({ host: { value: 'h' }, port: { value: 6379 }, tls: { value: true }, password: { value: 'p', sensitive: true }, ...extra });
const rate = { computeCentiCentsPerHour: 100, storageCentiCentsPerGbHour: 10, sharedClusterCentiCentsPerHour: 20, overheadCentiCentsPerHour: 5 };

describe('engine cost signals', () => {
  it('reads the optional hourly_cost_cents output (cents, fractions allowed) and nothing when it is absent', () => {
    expect(readOutputs(outputs({ hourly_cost_cents: { value: 1.25 } }), 'redis-shared').hourlyCostCentiCents).toBe(125);
    expect(readOutputs(outputs(), 'redis-shared').hourlyCostCentiCents).toBeNull();
    expect(() => readOutputs(outputs({ hourly_cost_cents: { value: 'cheap' } }), 'redis-shared')).toThrow(/hourly_cost_cents/);
  });

  it('passes hourly_cost_cents through the generated root only when the module declares it', () => {
    expect(declaredOptionalOutputs('output "host" {\n}\n# output "hourly_cost_cents" {')).toEqual([]);
    expect(declaredOptionalOutputs('output "hourly_cost_cents" {\n  value = 1.25\n}')).toEqual(['hourly_cost_cents']);
    const d = { id: '00000000-0000-4000-8000-000000000001', orgId: 'o', name: 'n', generation: 1, tier: 'shared' as const, cloudAccountRef: null, chartVersion: null,
      spec: { plan: 'starter', version: '7.2.5', region: 'eu-west-1', memoryMb: 1024, replicas: 0, persistence: true, config: { maxmemoryPolicy: 'noeviction', timeoutSeconds: 0 } } };
    const root = (optionalOutputs?: string[]) => rootConfig(d, { workDir: '/w/x', modulesDir: '/w/m', accountRef: null, providers: {}, optionalOutputs }).output;
    expect(Object.keys(root())).not.toContain('hourly_cost_cents');
    expect(root(['hourly_cost_cents']).hourly_cost_cents).toEqual({ value: '${module.redis.hourly_cost_cents}' });
  });
});

describe('the cost rule', () => {
  const holding = { tier: 'shared' as const, storageGb: 2, engineCentiCentsPerHour: null };
  it('a stopped deployment costs its storage only; a failed one what it holds; a deleted one nothing', () => {
    expect(hourlyCost(rate, { ...holding, state: 'running' })).toBe(100 + 20 + 20 + 5);
    expect(hourlyCost(rate, { ...holding, state: 'held' })).toBe(145);
    expect(hourlyCost(rate, { ...holding, state: 'stopped' })).toBe(20);
    expect(hourlyCost(rate, { ...holding, state: 'deleted' })).toBe(0);
    expect(COST_BY_STATE.stopped).toEqual({ compute: false, storage: true, overhead: false });
  });
  it('uses the engine figure for compute, and costs BYOC the overhead only', () => {
    expect(hourlyCost(rate, { ...holding, state: 'running', engineCentiCentsPerHour: 300 })).toBe(300 + 20 + 5);
    expect(hourlyCost(rate, { ...holding, tier: 'byoc', state: 'running', engineCentiCentsPerHour: 300 })).toBe(5);
    expect(hourlyCost(rate, { ...holding, tier: 'dedicated', state: 'running' })).toBe(100 + 20 + 5);
  });
  it('reads segments without a state as running when billable, held otherwise', () => {
    expect([stateOf(null, true), stateOf(null, false), stateOf('stopped', false), stateOf('paused', false)]).toEqual(['running', 'held', 'stopped', 'held']);
  });
});
