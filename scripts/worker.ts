/**
 * `npm run worker`: a reconciler worker process. Run any number of them against one Postgres server
 * (DATABASE_URL). Stops cleanly on SIGINT/SIGTERM; a killed worker's leases expire and others take over.
 */
import { openDatabase } from '~/db/client';
import { env, requireSecretKey } from '~/server/env';
import { startBillingJobs } from '~/server/billing';
import { cancelEngineWork, checkEngines, startWorker } from '~/server/reconciler';

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
const database = await openDatabase(env.databaseUrl, { migrate: env.migrateOnStart });
const worker = await startWorker(database);
// Every worker also meters usage and delivers the Stripe outbox; both are safe to run on many workers at once.
const stopBilling = startBillingJobs(database);
console.log(`[worker] ${worker.id} started (concurrency ${env.worker.concurrency}, engines ${env.engines.infra}/${env.engines.delivery})`);
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    stopBilling();
    cancelEngineWork(`worker received ${signal}`); // terraform gets SIGINT and saves its state
    await worker.stop();
    await database.close();
    process.exit(0);
  });
}
