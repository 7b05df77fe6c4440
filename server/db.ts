/**
 * The app's process-wide state: one database handle and, in embedded mode, the in-process reconciler. Kept on
 * globalThis because Next loads route handlers, server components and instrumentation as separate module
 * graphs, and PGlite must be opened only once per process.
 */
import path from 'node:path';
import { openDatabase, type Database } from '~/db/client';
import { seed } from '~/db/seed';
import { getBilling } from './billing';
import { env, requireSecretKey } from './env';

const g = globalThis as unknown as { __plinthDb?: Promise<Database> };

export function getDatabase(): Promise<Database> {
  g.__plinthDb ??= (async () => {
    const database = await openDatabase(env.databaseUrl ?? path.join(env.dataDir, 'pglite'), { migrate: env.migrateOnStart });
    await seed(database.db);
    return database;
  })();
  return g.__plinthDb;
}

export async function getDb() {
  return (await getDatabase()).db;
}

export const appConfig = () => {
  const { stripe, appUrl } = getBilling();
  return { secretKey: requireSecretKey(env), engines: env.engines, billing: { stripe, appUrl, pastDueGraceDays: env.billing.pastDueGraceDays }, limits: env.limits, webhooks: { allowPrivate: env.webhooks.allowPrivate }, metrics: { prometheusUrl: env.prometheusUrl } };
};
