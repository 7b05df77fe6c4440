/**
 * `npm run worker`: a reconciler worker process. Run any number of them against one Postgres server
 * (DATABASE_URL). Stops cleanly on SIGINT/SIGTERM; a killed worker's leases expire and others take over.
 * Serves /metrics and /live on PLINTH_METRICS_PORT (server/observability/metrics-server.ts).
 */
import { openDatabase } from '~/db/client';
import { env, requireSecretKey } from '~/server/env';
import { startBillingJobs } from '~/server/billing';
import { logger } from '~/server/observability/logger';
import { setMetricsDatabase } from '~/server/observability/metrics';
import { serveWorkerMetrics } from '~/server/observability/metrics-server';
import { cancelEngineWork, checkEngines, startWorker } from '~/server/reconciler';

function fail(message: string): never {
  logger.fatal(message);
  logger.flush();
  process.exit(1);
}

if (!env.databaseUrl) fail('npm run worker needs DATABASE_URL (a Postgres server). In embedded mode the reconciler runs inside `npm start`.');
try {
  requireSecretKey(env);
  await checkEngines();
} catch (e) {
  fail((e as Error).message);
}
const database = await openDatabase(env.databaseUrl);
setMetricsDatabase(database.db);
const metricsServer = await serveWorkerMetrics(env.observability.metricsPort, env.observability.metricsToken);
const worker = await startWorker(database);
// Every worker also meters usage and delivers the Stripe outbox; both are safe to run on many workers at once.
const stopBilling = startBillingJobs(database);
logger.info({ workerId: worker.id, concurrency: env.worker.concurrency, engines: env.engines }, 'worker started');
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    logger.info({ workerId: worker.id, signal }, 'worker draining: finishing or handing over its passes');
    stopBilling();
    cancelEngineWork(`worker received ${signal}`); // terraform gets SIGINT and saves its state
    await worker.stop();
    await database.close();
    metricsServer?.close();
    logger.info({ workerId: worker.id }, 'worker stopped');
    logger.flush();
    process.exit(0);
  });
}
