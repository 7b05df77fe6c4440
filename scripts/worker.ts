/**
 * `npm run worker`: a reconciler worker process. Run any number of them against one Postgres server
 * (DATABASE_URL). On SIGTERM/SIGINT it stops as the web process does (server/reconciler/lifecycle.ts); a killed
 * worker's leases expire and others take over.
 */
import { openDatabase } from '~/db/client';
import { env, requireSecretKey } from '~/server/env';
import { checkEngines } from '~/server/reconciler';
import { startBackground, stopOnSignals } from '~/server/reconciler/lifecycle';

if (!env.databaseUrl) {
  console.error('npm run worker needs DATABASE_URL (a Postgres server). In embedded mode the reconciler runs inside `npm start`.');
  process.exit(1);
}
try {
  requireSecretKey(env);
  await checkEngines();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}
const database = await openDatabase(env.databaseUrl);
const background = await startBackground(database);
stopOnSignals(background.stop);
console.log(`[worker] ${background.worker.id} started (concurrency ${env.worker.concurrency}, engines ${env.engines.infra}/${env.engines.delivery})`);
