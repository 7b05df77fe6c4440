/**
 * Prometheus metrics: one registry per process, kept on globalThis because Next loads route handlers and
 * instrumentation as separate module graphs (two registries would each see half the counts).
 *
 * Names follow Prometheus conventions: `plinth_` prefix, base units (`_seconds`), `_total` on counters. Gauges
 * that describe shared state (queue depth, outbox backlog) are read from Postgres when scraped, so every replica
 * reports the same value: aggregate them with max(), not sum(). Counters and histograms are per process: sum().
 */
import { sql } from 'drizzle-orm';
import client from 'prom-client';
import type { Db } from '~/db/client';

const rows = <T>(r: unknown): T[] => (Array.isArray(r) ? (r as T[]) : ((r as { rows: T[] }).rows ?? []));
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** Seconds buckets for engine calls: a sandbox call takes milliseconds, a terraform apply minutes. */
const ENGINE_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];
/** Seconds buckets for API calls. */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function create() {
  const registry = new client.Registry();
  // Node process metrics under their conventional names (process_*, nodejs_*), so stock dashboards work.
  client.collectDefaultMetrics({ register: registry });
  let db: Db | null = null;
  const billingSuccess = new Map<string, number>();

  const up = new client.Gauge({
    name: 'plinth_metrics_database_up',
    help: '1 when the last scrape could read the shared-state gauges from Postgres, 0 when it could not.',
    registers: [registry],
  });
  const m = {
    registry,
    setDatabase: (d: Db) => void (db = d),
    /**
     * One query per scrape for every shared-state gauge (served by the partial indexes deployments_due_idx and
     * outbox_due_idx). Run before rendering rather than as collect callbacks: the registry collects metrics
     * concurrently, so a callback setting other gauges would show the previous scrape's values.
     */
    refreshShared: async () => {
      if (!db) return up.set(0);
      try {
        const [r] = rows<Record<string, unknown>>(
          await db.execute(sql`select
            (select count(*) from deployments where next_reconcile_at <= now() and (lease_expires_at is null or lease_expires_at < now())) as depth,
            (select extract(epoch from now() - min(next_reconcile_at)) from deployments where next_reconcile_at <= now() and (lease_expires_at is null or lease_expires_at < now())) as oldest,
            (select count(*) from deployments where lease_expires_at >= now()) as leased,
            (select count(*) from outbox where done_at is null) as outbox,
            (select extract(epoch from now() - min(created_at)) from outbox where done_at is null) as outbox_oldest`),
        );
        m.queueDepth.set(num(r?.depth));
        m.oldestDue.set(Math.max(0, num(r?.oldest)));
        m.leased.set(num(r?.leased));
        m.outboxBacklog.set(num(r?.outbox));
        m.outboxOldest.set(Math.max(0, num(r?.outbox_oldest)));
        up.set(1);
      } catch {
        up.set(0);
      }
    },
    queueDepth: new client.Gauge({
      name: 'plinth_reconciler_queue_depth',
      help: 'Deployments due for reconciliation and not leased by a live worker.',
      registers: [registry],
    }),
    oldestDue: new client.Gauge({
      name: 'plinth_reconciler_oldest_due_age_seconds',
      help: 'How long the longest-waiting due deployment has been due (0 when none is).',
      registers: [registry],
    }),
    leased: new client.Gauge({
      name: 'plinth_reconciler_leased_deployments',
      help: 'Deployments currently leased by a worker.',
      registers: [registry],
    }),
    passes: new client.Counter({
      name: 'plinth_reconciler_passes_total',
      help: 'Reconcile passes run by this process, by the phase they started in, engine and result.',
      labelNames: ['phase', 'engine', 'result'] as const,
      registers: [registry],
    }),
    errors: new client.Counter({
      name: 'plinth_reconciler_errors_total',
      help: 'Reconcile passes that ended in an error, by phase, engine and kind (transient: retried; terminal: stopped).',
      labelNames: ['phase', 'engine', 'kind'] as const,
      registers: [registry],
    }),
    engineCalls: new client.Histogram({
      name: 'plinth_engine_call_duration_seconds',
      help: 'Duration of engine calls (terraform plan/apply/destroy, Argo CD sync, sandbox), by engine, operation and result.',
      labelNames: ['engine', 'operation', 'result'] as const,
      buckets: ENGINE_BUCKETS,
      registers: [registry],
    }),
    takeovers: new client.Counter({
      name: 'plinth_reconciler_lease_takeovers_total',
      help: 'Deployments this process claimed whose previous lease had expired (its worker died or stalled).',
      registers: [registry],
    }),
    rollout: new client.Gauge({
      name: 'plinth_rollout_progress_ratio',
      help: 'Share of a rollout’s deployments on the target version (0–1); 0 while no rollout runs.',
      labelNames: ['rollout'] as const,
      registers: [registry],
    }),
    billingDuration: new client.Histogram({
      name: 'plinth_billing_job_duration_seconds',
      help: 'Duration of billing job runs (meter, close-month, outbox) in this process, by job and result.',
      labelNames: ['job', 'result'] as const,
      buckets: HTTP_BUCKETS.concat([30, 60]),
      registers: [registry],
    }),
    billingLag: new client.Gauge({
      name: 'plinth_billing_job_lag_seconds',
      help: 'Seconds since the billing job last succeeded in this process (absent until it has run once).',
      labelNames: ['job'] as const,
      registers: [registry],
      collect() {
        for (const [job, at] of billingSuccess) this.set({ job }, (Date.now() - at) / 1000);
      },
    }),
    billingSuccess,
    outboxBacklog: new client.Gauge({
      name: 'plinth_outbox_backlog',
      help: 'Stripe outbox rows not yet delivered.',
      registers: [registry],
    }),
    outboxOldest: new client.Gauge({
      name: 'plinth_outbox_oldest_age_seconds',
      help: 'Age of the oldest undelivered Stripe outbox row (0 when none is).',
      registers: [registry],
    }),
    http: new client.Histogram({
      name: 'plinth_http_request_duration_seconds',
      help: 'API request durations by tRPC procedure (a batch counts once per procedure), method and status.',
      labelNames: ['procedure', 'method', 'status'] as const,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
  };
  // The rollout gauge exists with 0 so dashboards and alerts have a series before the first rollout.
  m.rollout.set({ rollout: 'none' }, 0);

  return m;
}

type Metrics = ReturnType<typeof create>;
const g = globalThis as unknown as { __plinthMetrics?: Metrics };
export const metrics: Metrics = (g.__plinthMetrics ??= create());

/** Lets scrapes read the shared-state gauges; call once per process with its database. */
export function setMetricsDatabase(db: Db): void {
  metrics.setDatabase(db);
}

/** The exposition text and its content type. */
export async function renderMetrics(): Promise<{ body: string; contentType: string }> {
  await metrics.refreshShared();
  return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}

// ───────────────────────────── hooks for the reconciler and billing ─────────────────────────────

export type PassResult = 'converged' | 'requeued' | 'transient_error' | 'terminal_error';

/** After every reconcile pass: the phase it started in, the engine that did the work, how it ended. */
export function observePass(p: { phase: string; engine: string; result: PassResult }): void {
  metrics.passes.inc({ phase: p.phase, engine: p.engine, result: p.result });
  if (p.result === 'transient_error' || p.result === 'terminal_error') {
    metrics.errors.inc({ phase: p.phase, engine: p.engine, kind: p.result === 'terminal_error' ? 'terminal' : 'transient' });
  }
}

/** Times one engine call; rethrows its error after recording it as `result="error"`. */
export async function observeEngineCall<T>(engine: string, operation: string, call: () => Promise<T>): Promise<T> {
  const end = metrics.engineCalls.startTimer({ engine, operation });
  try {
    const value = await call();
    end({ result: 'ok' });
    return value;
  } catch (e) {
    end({ result: 'error' });
    throw e;
  }
}

/** When a worker claims a deployment whose previous lease had expired. */
export function countTakeover(n = 1): void {
  metrics.takeovers.inc(n);
}

/** Progress of a rollout, 0–1. */
export function setRolloutProgress(rollout: string, ratio: number): void {
  metrics.rollout.set({ rollout }, Math.min(1, Math.max(0, ratio)));
}

/** Times one billing job run (`meter`, `close-month`, `outbox`); a success resets that job's lag. */
export async function observeBillingRun<T>(job: string, run: () => Promise<T>): Promise<T> {
  const end = metrics.billingDuration.startTimer({ job });
  try {
    const value = await run();
    end({ result: 'ok' });
    metrics.billingSuccess.set(job, Date.now());
    return value;
  } catch (e) {
    end({ result: 'error' });
    throw e;
  }
}

/** One API request: each procedure of a batch gets the batch's duration. */
export function observeHttp(procedures: string[], method: string, status: number, seconds: number): void {
  for (const procedure of procedures) metrics.http.observe({ procedure, method, status: String(status) }, seconds);
}
