/**
 * One start/stop path for background work, used by the web process in embedded mode (server/startup.ts) and by
 * `npm run worker` (scripts/worker.ts). On SIGTERM/SIGINT: stop claiming, let passes in flight finish within the
 * grace period, abort the rest through their AbortSignals (Terraform gets its clean interrupt, a git push is
 * abandoned), stop the billing jobs, close the database, exit.
 *
 * The running instance lives on globalThis: Next loads instrumentation and route handlers as separate module
 * graphs, and a second register() (or a dev reload) must not start a second worker in the same process.
 */
import type { Database } from '~/db/client';
import { getBilling, startBillingJobs } from '../billing';
import { startRolloutScheduler } from '../fleet/scheduler';
import { startOffboardingJob } from '../offboarding/job';
import { startWebhookJobs } from '../webhooks/jobs';
import { startMailJobs } from '../mail/jobs';
import { env } from '../env';
import { logger } from '../observability/logger';
import { cancelEngineWork, createEngines, startWorker } from './index';
import { startSnapshotJob } from '../snapshots/job';
import type { Worker, WorkerOptions } from './worker';

export type Background = { worker: Worker; stop: (reason: string) => Promise<void> };

const g = globalThis as unknown as { __plinthBackground?: Promise<Background>; __plinthSignalsHooked?: boolean };

/** Starts the reconciler worker and the billing jobs once per process; later calls get the same instance. */
export function startBackground(database: Database, o: { graceMs?: number; worker?: Partial<WorkerOptions>; close?: () => Promise<void> } = {}): Promise<Background> {
  g.__plinthBackground ??= (async () => {
    const worker = await startWorker(database, o.worker);
    // Metering usage and delivering the Stripe outbox are safe to run on many workers at once.
    const stopBilling = startBillingJobs(database);
    // Rollouts are scheduled by one worker at a time (a lease in job_leases); every worker tries each interval.
    const stopRollouts = startRolloutScheduler(database, { owner: worker.id, ...env.rollouts });
    // Organization deletions, likewise one worker at a time (the `org-offboarding` lease).
    const stopOffboarding = startOffboardingJob(database, { owner: worker.id, ...env.offboarding, appUrl: env.billing.appUrl, stripe: getBilling().stripe });
    // Scheduled and manual snapshots, taken and expired by one worker at a time (the `snapshots` lease).
    const stopSnapshots = startSnapshotJob(database, createEngines(database), { owner: worker.id, ...env.snapshots });
    // So are fanning events out and delivering webhooks (claims are SKIP LOCKED, deliveries leased).
    const stopWebhooks = startWebhookJobs(database);
    const stopMail = startMailJobs(database);
    let stopped: Promise<void> | null = null;
    const stop = (reason: string) =>
      (stopped ??= (async () => {
        logger.info({ reason, graceMs: o.graceMs ?? env.worker.shutdownGraceMs }, 'stopping: passes in flight may finish within the grace period');
        stopBilling();
        await stopRollouts();
        await stopOffboarding();
        await stopSnapshots();
        stopWebhooks();
        stopMail();
        await worker.stop({ graceMs: o.graceMs ?? env.worker.shutdownGraceMs });
        cancelEngineWork(reason); // anything still running outside a pass (there should be nothing)
        await (o.close ?? database.close)();
        logger.info('stopped');
      })());
    return { worker, stop };
  })();
  return g.__plinthBackground;
}

/**
 * Runs `stop` on SIGTERM/SIGINT, then exits. Hooked once per process. Under `next start`, Next exits on these
 * signals itself unless NEXT_MANUAL_SIG_HANDLE is set (scripts/start.mjs sets it), so this is the one handler.
 */
export function stopOnSignals(stop: (reason: string) => Promise<void>): void {
  if (g.__plinthSignalsHooked) return;
  g.__plinthSignalsHooked = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stop(`received ${signal}`).then(
        () => process.exit(0),
        (e) => {
          logger.error({ err: e }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
