/**
 * The periodic billing jobs every worker runs: metering, closing finished months, queueing and delivering
 * Stripe calls. Each is idempotent, so any number of workers may run them at once.
 */
import type { Database } from '~/db/client';
import { env } from '../env';
import { logger } from '../observability/logger';
import { observeBillingRun } from '../observability/metrics';
import { getBilling } from './index';
import { closeFinishedMonths } from './invoices';
import { meterUsage } from './metering';
import { meterCost } from '../economics/metering';
import { enqueueMeterEvents, deliverOutbox } from './stripe';

/** How far back each run re-meters: late segments within this window are still counted. */
const WINDOW_MS = 48 * 3600_000;

export async function runBillingJobs(database: Database, now = new Date()) {
  const { db } = database;
  const from = new Date(now.getTime() - WINDOW_MS);
  await observeBillingRun('meter', () => meterUsage(db, { from, now }));
  // After usage: the margin roll-ups read the usage just metered.
  await observeBillingRun('meter-cost', () => meterCost(db, { from, now }));
  await observeBillingRun('close-month', () => closeFinishedMonths(db, now));
  const { stripe } = getBilling();
  if (stripe) {
    await observeBillingRun('outbox', async () => {
      await enqueueMeterEvents(db, from);
      await deliverOutbox(db, stripe);
    });
  }
}

export function startBillingJobs(database: Database, intervalMs = env.billing.intervalMs): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runBillingJobs(database);
    } catch (e) {
      logger.error({ err: e }, 'billing job failed; it will run again');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
