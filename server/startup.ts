/**
 * What the web process does once at start: check the shared secrets and the selected engines, open the database
 * (migrations, seed), and in embedded mode run the reconciler and billing jobs in-process. Kept out of
 * instrumentation.ts so Next's edge-runtime analysis never sees Node-only calls such as process.exit.
 */
import { getDatabase } from './db';
import { env, requireAuthSecret, requireSecretKey } from './env';
import { startBillingJobs } from './billing';
import { recordEngineCheck } from './observability/health';
import { logger } from './observability/logger';
import { setMetricsDatabase } from './observability/metrics';
import { checkEngines, startWorker } from './reconciler';

export async function start(): Promise<void> {
  const started = Date.now();
  try {
    requireSecretKey(env);
    requireAuthSecret(env);
    await checkEngines();
    recordEngineCheck(env.engines);
  } catch (e) {
    // Stop here rather than serve a console whose sessions or deployments cannot work.
    logger.fatal((e as Error).message);
    logger.flush();
    process.exit(1);
  }
  const database = await getDatabase();
  setMetricsDatabase(database.db);
  logger.info({ database: database.kind, ms: Date.now() - started }, 'database ready');
  if (env.inProcessWorker) {
    const worker = await startWorker(database);
    startBillingJobs(database);
    logger.info({ workerId: worker.id, sandboxLatencyMs: env.sandbox.latencyMs }, 'reconciler running in-process');
  }
}
