/**
 * What the web process does once at start: check the shared secrets and the selected engines, open the database
 * (migrations, seed), and in embedded mode run the reconciler and billing jobs in-process. Kept out of
 * instrumentation.ts so Next's edge-runtime analysis never sees Node-only calls such as process.exit.
 */
import { getDatabase } from './db';
import { env, requireAuthSecret, requireSecretKey } from './env';
import { recordEngineCheck, startDraining } from './observability/health';
import { logger } from './observability/logger';
import { setMetricsDatabase } from './observability/metrics';
import { checkEngines } from './reconciler';
import { startBackground, stopOnSignals } from './reconciler/lifecycle';

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
  const background = env.inProcessWorker ? await startBackground(database) : null;
  // One SIGTERM path (server/reconciler/lifecycle.ts): readiness fails at once, requests keep being answered for
  // the drain delay, then passes in flight finish or are cancelled cleanly and the database closes.
  stopOnSignals(async (reason) => {
    startDraining();
    logger.info({ reason, delayMs: env.worker.shutdownDelayMs }, 'draining: readiness now fails; stopping after the shutdown delay');
    if (env.worker.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, env.worker.shutdownDelayMs));
    if (background) await background.stop(reason);
    else await database.close();
  });
  if (background) logger.info({ workerId: background.worker.id, sandboxLatencyMs: env.sandbox.latencyMs }, 'reconciler running in-process');
}
