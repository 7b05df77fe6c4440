/**
 * Integration-test harness: a fresh, migrated, seeded database per suite, on PGlite or on the Postgres server
 * (a new database per suite, dropped afterwards), and tRPC callers acting as given users.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '~/db/client';
import { seed } from '~/db/seed';
import { createCaller } from '~/server/api/root';
import type { Context } from '~/server/api/trpc';
import { hashPassword } from '~/server/auth/password';
import { users } from '~/db/schema';

export const drivers = ['pglite', 'postgres'] as const;
export type Driver = (typeof drivers)[number];

/** The server the suite creates its databases on; override with TEST_POSTGRES_URL. */
const serverUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** `url`: what a separate process would put in DATABASE_URL (Postgres only; PGlite is in this process). */
export type TestDb = Database & { drop: () => Promise<void>; url: string | null };

/** `server` overrides the Postgres server for this database (benchmarks point it at their own). */
export async function openTestDatabase(driver: Driver, opts: { server?: string } = {}): Promise<TestDb> {
  if (driver === 'pglite') {
    const database = await openDatabase('memory://');
    await seed(database.db);
    return { ...database, drop: database.close, url: null };
  }
  const server = opts.server ?? serverUrl;
  const name = `plinth_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = postgres(server, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  const database = await openDatabase(url.toString());
  await seed(database.db);
  return {
    ...database,
    url: url.toString(),
    drop: async () => {
      await database.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

// A fixed hash keeps fixtures fast; sign-up itself is tested with real hashing.
let fixtureHash: Promise<string> | undefined;
export const FIXTURE_PASSWORD = 'correct horse battery';

export const TEST_SECRET_KEY = Buffer.alloc(32, 7);
export const testConfig: Context['config'] = {
  secretKey: TEST_SECRET_KEY,
  engines: { infra: 'sandbox', delivery: 'sandbox' },
  billing: { stripe: null, appUrl: 'http://localhost:3000', pastDueGraceDays: 7 },
  limits: { freeDeploymentsPerUser: 1, orgsPerUser: 5 },
  webhooks: { allowPrivate: false },
};

export function callerFor(db: Database['db'], userId: string | null, ip = '203.0.113.7') {
  return createCaller({ db, userId, ip, config: testConfig });
}

/** Inserts a user directly (password FIXTURE_PASSWORD) and returns a caller acting as them. */
export async function makeUser(db: Database['db'], email: string, staffRole: 'none' | 'support' | 'admin' = 'none') {
  fixtureHash ??= hashPassword(FIXTURE_PASSWORD);
  const [user] = await db
    .insert(users)
    .values({ email, name: email.split('@')[0]!, passwordHash: await fixtureHash, staffRole })
    .returning();
  return { user: user!, api: callerFor(db, user!.id) };
}
