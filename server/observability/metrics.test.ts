/**
 * The metrics registry against a real database: shared-state gauges read from Postgres at scrape time, and the
 * hooks the reconciler and billing call.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, makeUser, openTestDatabase, type TestDb } from '~/test/harness';
import { countTakeover, metrics, observeBillingRun, observeEngineCall, observePass, renderMetrics, setMetricsDatabase, setRolloutProgress } from './metrics';

const value = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe.each(drivers)('metrics (%s)', (driver) => {
  let t: TestDb;
  beforeAll(async () => {
    t = await openTestDatabase(driver);
    setMetricsDatabase(t.db);
  });
  afterAll(() => t.drop());

  it('reports queue depth, oldest due age and outbox backlog from the database at scrape time', async () => {
    let text = (await renderMetrics()).body;
    expect(value(text, 'plinth_metrics_database_up')).toBe(1);
    expect(value(text, 'plinth_reconciler_queue_depth')).toBe(0);
    expect(value(text, 'plinth_outbox_backlog')).toBe(0);

    // Two deployments created through the API are due at once: no worker runs in this test.
    const { api } = await makeUser(t.db, `metrics-${driver}@acme.test`);
    const org = await api.orgs.create({ name: 'Metrics' });
    for (const name of ['cache-a', 'cache-b']) {
      await api.deployments.create({ orgId: org.id, name, plan: 'starter', region: 'eu-west-1', version: '7.2.5', idempotencyKey: `m-${name}` });
    }
    await t.db.execute(sql`update deployments set next_reconcile_at = now() - interval '90 seconds' where org_id = ${org.id}`);
    await t.db.execute(sql`insert into outbox (kind, payload, idempotency_key, created_at) values ('test', '{}'::jsonb, ${`ob-${driver}`}, now() - interval '2 minutes')`);

    text = (await renderMetrics()).body;
    expect(value(text, 'plinth_reconciler_queue_depth')).toBe(2);
    expect(value(text, 'plinth_reconciler_oldest_due_age_seconds')).toBeGreaterThanOrEqual(90);
    expect(value(text, 'plinth_outbox_backlog')).toBe(1);
    expect(value(text, 'plinth_outbox_oldest_age_seconds')).toBeGreaterThanOrEqual(120);

    // A live lease takes a deployment out of the queue.
    await t.db.execute(sql`update deployments set lease_owner = 'w1', lease_expires_at = now() + interval '1 minute' where org_id = ${org.id} and name = 'cache-a'`);
    text = (await renderMetrics()).body;
    expect(value(text, 'plinth_reconciler_queue_depth')).toBe(1);
    expect(value(text, 'plinth_reconciler_leased_deployments')).toBe(1);
  });

  it('says so, instead of failing the scrape, when the database cannot answer', async () => {
    const broken = { execute: () => Promise.reject(new Error('connection refused')) } as unknown as TestDb['db'];
    setMetricsDatabase(broken);
    try {
      const text = (await renderMetrics()).body;
      expect(value(text, 'plinth_metrics_database_up')).toBe(0);
    } finally {
      setMetricsDatabase(t.db);
    }
  });
});

describe('hooks for the reconciler and billing', () => {
  it('counts passes and errors by phase, engine and result', async () => {
    observePass({ phase: 'provisioning', engine: 'terraform', result: 'converged' });
    observePass({ phase: 'provisioning', engine: 'terraform', result: 'transient_error' });
    observePass({ phase: 'deploying', engine: 'argocd', result: 'terminal_error' });
    const text = (await renderMetrics()).body;
    expect(value(text, 'plinth_reconciler_passes_total{phase="provisioning",engine="terraform",result="converged"}')).toBe(1);
    expect(value(text, 'plinth_reconciler_errors_total{phase="provisioning",engine="terraform",kind="transient"}')).toBe(1);
    expect(value(text, 'plinth_reconciler_errors_total{phase="deploying",engine="argocd",kind="terminal"}')).toBe(1);
  });

  it('times engine calls into a histogram and passes errors through', async () => {
    expect(await observeEngineCall('sandbox', 'apply', async () => 42)).toBe(42);
    await expect(observeEngineCall('sandbox', 'apply', () => Promise.reject(new Error('quota')))).rejects.toThrow('quota');
    const text = (await renderMetrics()).body;
    expect(value(text, 'plinth_engine_call_duration_seconds_count{engine="sandbox",operation="apply",result="ok"}')).toBe(1);
    expect(value(text, 'plinth_engine_call_duration_seconds_count{engine="sandbox",operation="apply",result="error"}')).toBe(1);
    expect(text).toContain('plinth_engine_call_duration_seconds_bucket{le="1800",engine="sandbox",operation="apply",result="ok"} 1');
  });

  it('counts takeovers, keeps rollout progress in 0–1 and billing lag from the last success', async () => {
    const before = (await metrics.takeovers.get()).values[0]?.value ?? 0;
    countTakeover();
    countTakeover(2);
    setRolloutProgress('r-1', 1.7);
    await observeBillingRun('meter', async () => undefined);
    await expect(observeBillingRun('outbox', () => Promise.reject(new Error('stripe down')))).rejects.toThrow();
    const text = (await renderMetrics()).body;
    expect(value(text, 'plinth_reconciler_lease_takeovers_total')).toBe(before + 3);
    expect(value(text, 'plinth_rollout_progress_ratio{rollout="none"}')).toBe(0);
    expect(value(text, 'plinth_rollout_progress_ratio{rollout="r-1"}')).toBe(1);
    expect(value(text, 'plinth_billing_job_lag_seconds{job="meter"}')).toBeLessThan(5);
    expect(value(text, 'plinth_billing_job_lag_seconds{job="outbox"}')).toBeUndefined();
    expect(value(text, 'plinth_billing_job_duration_seconds_count{job="outbox",result="error"}')).toBe(1);
  });

  it('follows Prometheus naming: counters end in _total, durations in _seconds, all in the plinth_ namespace', async () => {
    const own = (await metrics.registry.getMetricsAsJSON()).filter((m) => m.name.startsWith('plinth_'));
    expect(own.length).toBeGreaterThanOrEqual(14);
    for (const m of own) {
      if (String(m.type) === 'counter') expect(m.name).toMatch(/_total$/);
      if (String(m.type) === 'histogram') expect(m.name).toMatch(/_seconds$/);
      expect(m.help.length).toBeGreaterThan(10);
    }
    const names = (await metrics.registry.getMetricsAsJSON()).map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds']));
  });
});
