/**
 * `npm run worker`: a reconciler worker process. Run any number of them against one Postgres server
 * (DATABASE_URL). On SIGTERM/SIGINT it stops as the web process does (server/reconciler/lifecycle.ts): passes in
 * flight finish or hand over; a killed worker's leases expire and others take over.
 * Serves /metrics and /live on PLINTH_METRICS_PORT (server/observability/metrics-server.ts).
 */
import { openDatabase } from '~/db/client';
import { env, requireSecretKey } from '~/server/env';
import { logger } from '~/server/observability/logger';
import { setMetricsDatabase } from '~/server/observability/metrics';
import { serveWorkerMetrics } from '~/server/observability/metrics-server';
import { checkEngines } from '~/server/reconciler';
import { startBackground, stopOnSignals } from '~/server/reconciler/lifecycle';

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
const database = await openDatabase(env.databaseUrl, { migrate: env.migrateOnStart });
setMetricsDatabase(database.db);
const metricsServer = await serveWorkerMetrics(env.observability.metricsPort, env.observability.metricsToken);
// Signals are hooked before the background work has started: /live already answers, and a SIGTERM sent as soon as
// it does (an orchestrator, the image test) must drain, not kill the process with the default action.
const starting = startBackground(database);
stopOnSignals(async (reason) => {
  await (await starting).stop(reason);
  metricsServer?.close();
  logger.flush();
});
const background = await starting;
logger.info({ workerId: background.worker.id, concurrency: env.worker.concurrency, engines: env.engines }, 'worker started');
