/**
 * Runs once when the server starts: open the database (migrations, seed), and in embedded mode start the
 * reconciler inside this process.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const started = Date.now();
  const { getDatabase } = await import('./server/db');
  const { env } = await import('./server/env');
  const { checkEngines } = await import('./server/reconciler');
  try {
    await checkEngines();
  } catch (e) {
    // Stop here rather than serve a console whose deployments can never converge.
    console.error(`[plinth] ${(e as Error).message}`);
    process.exit(1);
  }
  const database = await getDatabase();
  console.log(`[plinth] database ready (${database.kind}) in ${Date.now() - started} ms`);
  if (env.inProcessWorker) {
    const { startWorker } = await import('./server/reconciler');
    const worker = await startWorker(database);
    const { startBillingJobs } = await import('./server/billing');
    startBillingJobs(database);
    console.log(`[plinth] reconciler running in-process (${worker.id}), sandbox latency ${env.sandbox.latencyMs} ms`);
  }
}
