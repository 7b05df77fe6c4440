/** Runs the webhook job (deliver.ts) on an interval in every worker process; overlapping ticks are skipped. */
import type { Database } from '~/db/client';
import { env, requireSecretKey } from '../env';
import { logger } from '../observability/logger';
import { runWebhookJobs } from './deliver';

export function startWebhookJobs(database: Database, intervalMs = env.webhooks.intervalMs): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runWebhookJobs(database.db, { secretKey: requireSecretKey(env), allowPrivate: env.webhooks.allowPrivate, timeoutMs: env.webhooks.timeoutMs });
    } catch (e) {
      logger.error({ err: e }, 'webhook job failed; it will run again');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
