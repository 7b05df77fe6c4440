/**
 * Billing wiring for this process: the Stripe client (or null when payments are not configured) and the
 * periodic jobs every worker runs — metering, closing finished months, queueing and delivering Stripe calls.
 */
import type { Database } from '~/db/client';
import { env } from '../env';
import { closeFinishedMonths } from './invoices';
import { meterUsage } from './metering';
import { createStripe, deliverOutbox, enqueueMeterEvents, type StripeContext } from './stripe';

const g = globalThis as unknown as { __plinthStripe?: StripeContext | null };

export function getBilling() {
  if (g.__plinthStripe === undefined) g.__plinthStripe = createStripe(env.stripe);
  return { stripe: g.__plinthStripe, appUrl: env.billing.appUrl, pastDueGraceDays: env.billing.pastDueGraceDays };
}

/** How far back each run re-meters: late segments within this window are still counted. */
const WINDOW_MS = 48 * 3600_000;

export async function runBillingJobs(database: Database, now = new Date()) {
  const { db } = database;
  const from = new Date(now.getTime() - WINDOW_MS);
  await meterUsage(db, { from, now });
  await closeFinishedMonths(db, now);
  const { stripe } = getBilling();
  if (stripe) {
    await enqueueMeterEvents(db, from);
    await deliverOutbox(db, stripe);
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
      console.error('[billing] job failed; it will run again', e);
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
