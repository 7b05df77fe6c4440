/**
 * `npm run db:migrate` (the image's `migrate` role): applies db/migrations to DATABASE_URL (or the embedded
 * database) and seeds the catalog. The app does the same at start; this is for deploy pipelines that migrate
 * before rolling out (the Kubernetes migration Job).
 */
import path from 'node:path';
import { openDatabase } from '~/db/client';
import { seed } from '~/db/seed';
import { env } from '~/server/env';
import { logger } from '~/server/observability/logger';

const started = Date.now();
const database = await openDatabase(env.databaseUrl ?? path.join(env.dataDir, 'pglite'));
await seed(database.db);
await database.close();
logger.info(
  { database: database.kind, ms: Date.now() - started },
  `migrated and seeded ${database.kind === 'postgres' ? 'the Postgres server' : `the embedded database in ${env.dataDir}`}`,
);
logger.flush();
