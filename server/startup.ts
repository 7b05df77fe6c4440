/**
 * What the web process does once at start: check the selected engines, open the database (migrations, seed), and
 * in embedded mode run the reconciler and billing jobs in-process. Kept out of instrumentation.ts so Next's
 * edge-runtime analysis never sees Node-only calls such as process.exit.
 */
import { getDatabase } from './db';
import { env, requireSecretKey } from './env';
import { checkEngines } from './reconciler';
import { startBackground, stopOnSignals } from './reconciler/lifecycle';

export async function start(): Promise<void> {
  const started = Date.now();
  try {
    requireSecretKey(env);
    await checkEngines();
  } catch (e) {
    // Stop here rather than serve a console whose deployments can never converge.
    console.error(`[plinth] ${(e as Error).message}`);
    process.exit(1);
  }
  const database = await getDatabase();
  console.log(`[plinth] database ready (${database.kind}) in ${Date.now() - started} ms`);
  if (env.inProcessWorker) {
    // The same start/stop path as `npm run worker`: on SIGTERM, passes in flight finish or are cancelled cleanly.
    const background = await startBackground(database);
    stopOnSignals(background.stop);
    console.log(`[plinth] reconciler running in-process (${background.worker.id}), sandbox latency ${env.sandbox.latencyMs} ms`);
  } else {
    stopOnSignals(async (reason) => {
      console.log(`[plinth] ${reason}: closing the database`);
      await database.close();
    });
  }
}
